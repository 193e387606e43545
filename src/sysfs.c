// SPDX-License-Identifier: GPL-2.0
/*
 * Control in /sys/kernel/pageclock/: a stable ABI that, unlike debugfs,
 * keeps working under kernel lockdown.  Every knob takes one decimal
 * number; anything else (junk, a sign, out of range, too long) is refused
 * with EINVAL or ERANGE, the old value kept and nothing logged.
 */
#include <linux/kobject.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "pageclock.h"

static ssize_t ad_pid_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", pgc_ad_target_nr());
}

static ssize_t ad_pid_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 1, PID_MAX_LIMIT, true, &v);

	if (!err)
		err = pgc_ad_set_target(v);
	return err ? err : count;
}

static struct kobject *pgc_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", PGC_VERSION);
}

/*
 * The numeric knobs: one unsigned int each, a range, and what to do once
 * it changed.  One show and one store serve them all.
 */
struct pgc_knob {
	struct kobj_attribute attr;
	unsigned int *val;
	unsigned int min, max;
	bool zero_ok;			/* 0 (off) is allowed below min */
	void (*changed)(void);		/* may be NULL */
};

static ssize_t pgc_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct pgc_knob *k = container_of(attr, struct pgc_knob, attr);

	return sysfs_emit(buf, "%u\n", READ_ONCE(*k->val));
}

static ssize_t pgc_knob_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct pgc_knob *k = container_of(attr, struct pgc_knob, attr);
	unsigned int v;
	int err = pgc_knob_parse(buf, count, k->min, k->max, k->zero_ok, &v);

	if (err)
		return err;
	WRITE_ONCE(*k->val, v);
	if (k->changed)
		k->changed();
	return count;
}

#define PGC_KNOB(_name, _val, _min, _max, _zero_ok, _changed)		\
	static struct pgc_knob pgc_knob_##_name = {			\
		.attr = __ATTR(_name, 0600, pgc_knob_show, pgc_knob_store), \
		.val = &(_val), .min = (_min), .max = (_max),		\
		.zero_ok = (_zero_ok), .changed = (_changed),		\
	}

/* 100 ms to an hour, or 0: shorter sweeps of a large process would never rest. */
PGC_KNOB(ad_interval_ms, pgc_ad_interval_ms, 100, 3600000, true,
	 pgc_ad_reschedule);
PGC_KNOB(ad_flush, pgc_ad_flush, 0, 1, true, NULL);
/* The CLOCK policy on or off; off stops sweeping, targets are kept. */
PGC_KNOB(clock_enabled, pgc_clock_enabled, 0, 1, true, pgc_clock_reschedule);
/* 10 ms to a minute between sweeps; 100 ms by default (see abi.md). */
PGC_KNOB(clock_interval_ms, pgc_clock_interval_ms, 10, 60000, false,
	 pgc_clock_reschedule);
/* Pages the hand may pass in one go: 64..65536, 8192 by default. */
PGC_KNOB(clock_quota, pgc_clock_quota, 64, 65536, false, NULL);
/* Share of a target's pages a sweep looks at for clean victims alone. */
PGC_KNOB(clock_clean_scan_pct, pgc_clock_clean_scan_pct, 1, 100, false, NULL);

/* "PID [BUDGET] [pff=1] [KNOB=N]...": a new target, or new settings. */
static ssize_t target_add_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	struct pgc_target_req req;
	char tmp[PGC_TARGET_WRITE_MAX];
	int err;

	err = pgc_target_parse(buf, count, totalram_pages(), tmp, &req);
	if (err)
		return err;
	err = pgc_clock_target_add(&req);
	return err ? err : count;
}

static ssize_t target_remove_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 1, PID_MAX_LIMIT, false, &v);

	if (!err)
		err = pgc_clock_target_remove(v);
	return err ? err : count;
}

static struct kobj_attribute pgc_version_attr = __ATTR_RO(version);
static struct kobj_attribute pgc_target_add_attr = __ATTR_WO(target_add);
static struct kobj_attribute pgc_target_remove_attr = __ATTR_WO(target_remove);
static struct kobj_attribute pgc_ad_pid_attr = __ATTR_RW_MODE(ad_pid, 0600);

static struct attribute *pgc_attrs[] = {
	&pgc_version_attr.attr,
	&pgc_ad_pid_attr.attr,
	&pgc_knob_ad_interval_ms.attr.attr,
	&pgc_knob_ad_flush.attr.attr,
	&pgc_knob_clock_enabled.attr.attr,
	&pgc_knob_clock_interval_ms.attr.attr,
	&pgc_knob_clock_quota.attr.attr,
	&pgc_knob_clock_clean_scan_pct.attr.attr,
	&pgc_target_add_attr.attr,
	&pgc_target_remove_attr.attr,
	NULL,
};

static const struct attribute_group pgc_attr_group = {
	.attrs = pgc_attrs,
};

int pgc_sysfs_init(void)
{
	int err;

	pgc_kobj = kobject_create_and_add("pageclock", kernel_kobj);
	if (!pgc_kobj)
		return -ENOMEM;
	err = sysfs_create_group(pgc_kobj, &pgc_attr_group);
	if (err) {
		kobject_put(pgc_kobj);
		pgc_kobj = NULL;
	}
	return err;
}

void pgc_sysfs_exit(void)
{
	kobject_put(pgc_kobj);
	pgc_kobj = NULL;
}
