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

/* A knob's value: a decimal number within [min, max], or 0 if @zero_ok. */
static int pgc_knob_parse(const char *buf, size_t count, unsigned int min,
			  unsigned int max, bool zero_ok, unsigned int *v)
{
	int err;

	if (count > 16)
		return -EINVAL;
	err = kstrtouint(buf, 10, v);
	if (err)
		return err;
	if (*v == 0 && zero_ok)
		return 0;
	return *v < min || *v > max ? -ERANGE : 0;
}

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

/* 100 ms to an hour: shorter sweeps of a large process would never rest. */
static ssize_t ad_interval_ms_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pgc_ad_interval_ms));
}

static ssize_t ad_interval_ms_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 100, 3600000, true, &v);

	if (err)
		return err;
	WRITE_ONCE(pgc_ad_interval_ms, v);
	pgc_ad_reschedule();
	return count;
}

static ssize_t ad_flush_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(pgc_ad_flush));
}

static ssize_t ad_flush_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 0, 1, true, &v);

	if (err)
		return err;
	WRITE_ONCE(pgc_ad_flush, v);
	return count;
}

static struct kobject *pgc_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", PGC_VERSION);
}

/* The CLOCK policy on or off; off stops sweeping, targets are kept. */
static ssize_t clock_enabled_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(pgc_clock_enabled));
}

static ssize_t clock_enabled_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 0, 1, true, &v);

	if (err)
		return err;
	WRITE_ONCE(pgc_clock_enabled, v);
	pgc_clock_reschedule();
	return count;
}

/* 10 ms to a minute between sweeps; 100 ms by default (see abi.md). */
static ssize_t clock_interval_ms_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pgc_clock_interval_ms));
}

static ssize_t clock_interval_ms_store(struct kobject *kobj,
				       struct kobj_attribute *attr,
				       const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 10, 60000, false, &v);

	if (err)
		return err;
	WRITE_ONCE(pgc_clock_interval_ms, v);
	pgc_clock_reschedule();
	return count;
}

/* Pages the hand may pass per target per sweep: 64..65536, 8192 default. */
static ssize_t clock_quota_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(pgc_clock_quota));
}

static ssize_t clock_quota_store(struct kobject *kobj,
				 struct kobj_attribute *attr,
				 const char *buf, size_t count)
{
	unsigned int v;
	int err = pgc_knob_parse(buf, count, 64, 65536, false, &v);

	if (err)
		return err;
	WRITE_ONCE(pgc_clock_quota, v);
	return count;
}

/* "PID [BUDGET]": a new target, or a new budget (pages) for one. */
static ssize_t target_add_store(struct kobject *kobj,
				struct kobj_attribute *attr,
				const char *buf, size_t count)
{
	char tmp[40], *p = tmp, *pid_s, *budget_s;
	unsigned long budget = 0;
	int pid, err;

	if (count >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, count);
	tmp[count] = '\0';
	pid_s = strsep(&p, " \t\n");
	budget_s = p ? skip_spaces(p) : NULL;
	if (budget_s && *budget_s) {
		err = kstrtoul(budget_s, 10, &budget);
		if (err)
			return err;
		if (!budget || budget > totalram_pages())
			return -ERANGE;
	}
	err = kstrtoint(pid_s, 10, &pid);
	if (err)
		return err;
	if (pid <= 0)
		return -EINVAL;
	err = pgc_clock_target_add(pid, budget);
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
static struct kobj_attribute pgc_clock_enabled_attr =
	__ATTR_RW_MODE(clock_enabled, 0600);
static struct kobj_attribute pgc_clock_interval_attr =
	__ATTR_RW_MODE(clock_interval_ms, 0600);
static struct kobj_attribute pgc_clock_quota_attr =
	__ATTR_RW_MODE(clock_quota, 0600);
static struct kobj_attribute pgc_target_add_attr = __ATTR_WO(target_add);
static struct kobj_attribute pgc_target_remove_attr = __ATTR_WO(target_remove);
static struct kobj_attribute pgc_ad_pid_attr = __ATTR_RW_MODE(ad_pid, 0600);
static struct kobj_attribute pgc_ad_interval_attr =
	__ATTR_RW_MODE(ad_interval_ms, 0600);
static struct kobj_attribute pgc_ad_flush_attr = __ATTR_RW_MODE(ad_flush, 0600);

static struct attribute *pgc_attrs[] = {
	&pgc_version_attr.attr,
	&pgc_ad_pid_attr.attr,
	&pgc_ad_interval_attr.attr,
	&pgc_ad_flush_attr.attr,
	&pgc_clock_enabled_attr.attr,
	&pgc_clock_interval_attr.attr,
	&pgc_clock_quota_attr.attr,
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
