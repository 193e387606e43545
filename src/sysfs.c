// SPDX-License-Identifier: GPL-2.0
/*
 * Control in /sys/kernel/pageclock/: a stable ABI that, unlike debugfs,
 * keeps working under kernel lockdown.  version, the module-wide knobs in
 * clock/, ad/ and faults/, ad/pid and ad/sweep, and the CLOCK's targets/
 * (src/clock/sysfs.c).  Every file holds one value: a knob takes one
 * decimal number; anything else (junk, a sign, out of range, too long) is
 * refused with EINVAL or ERANGE, the old value kept and nothing logged.
 */
#include <linux/kobject.h>
#include <linux/kernel.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include "pageclock.h"
#include "knobs.h"
#include "ad.h"
#include "clock.h"
#include "hooks.h"
#include "interfaces.h"

static ssize_t pgc_ad_pid_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", pgc_ad_target_nr());
}

static ssize_t pgc_ad_pid_store(struct kobject *kobj,
				struct kobj_attribute *attr, const char *buf,
				size_t count)
{
	u64 v;
	/* The rule of a target slot's pid file: a process id, or 0. */
	int err = pgc_knob_write(&pgc_target_descs[PGC_T_PID], buf, count,
				 totalram_pages(), &v);

	if (!err)
		err = pgc_ad_set_target(v);
	return err ? err : count;
}

/* A sweep of ad/pid's process now; its result in debugfs "ad". */
static ssize_t pgc_ad_sweep_store(struct kobject *kobj,
				  struct kobj_attribute *attr, const char *buf,
				  size_t count)
{
	int err = pgc_ad_command(buf, count);

	return err ? err : count;
}

static struct kobject *pgc_kobj;

static ssize_t pgc_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", PGC_VERSION);
}

/*
 * The module-wide knobs (src/core/knob.c: names, ranges, defaults): one
 * file each, named and checked by its descriptor, one show and one store
 * for all, and what to do once one changed, which may refuse the change
 * (faults/detail: the fault hook could not attach).
 */
static unsigned int pgc_knob_vals[PGC_K_NR];

static int (*const pgc_knob_changed[PGC_K_NR])(void) = {
	[PGC_K_AD_INTERVAL_MS] = pgc_ad_reschedule,
	[PGC_K_CLOCK_ENABLED] = pgc_clock_reschedule,
	[PGC_K_CLOCK_INTERVAL_MS] = pgc_clock_reschedule,
	[PGC_K_FAULTS_DETAIL] = pgc_hooks_demand_changed,
	[PGC_K_FAULTS_HOOK] = pgc_hooks_hook_changed,
};

unsigned int pgc_knob(enum pgc_knob_id id)
{
	return READ_ONCE(pgc_knob_vals[id]);
}

void pgc_knobs_init(void)
{
	int i;

	for (i = 0; i < PGC_K_NR; i++)
		pgc_knob_vals[i] = pgc_knob_descs[i].def;
}

struct pgc_knob_attr {
	struct kobj_attribute attr;
	enum pgc_knob_id id;
};

static struct pgc_knob_attr pgc_knob_attrs[PGC_K_NR];

static ssize_t pgc_knob_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct pgc_knob_attr *k = container_of(attr, struct pgc_knob_attr, attr);

	return sysfs_emit(buf, "%u\n", pgc_knob(k->id));
}

/*
 * One knob write at a time: a write that is refused puts back the value
 * it found, which must not be another write's, itself refused (bug: two
 * refused writes of faults/hook left the first one's value).
 */
static DEFINE_MUTEX(pgc_knob_mutex);

static ssize_t pgc_knob_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct pgc_knob_attr *k = container_of(attr, struct pgc_knob_attr, attr);
	unsigned int old;
	u64 v;
	int err = pgc_knob_write(&pgc_knob_descs[k->id], buf, count,
				 totalram_pages(), &v);

	if (err)
		return err;
	mutex_lock(&pgc_knob_mutex);
	old = pgc_knob(k->id);
	WRITE_ONCE(pgc_knob_vals[k->id], v);
	if (pgc_knob_changed[k->id]) {
		err = pgc_knob_changed[k->id]();
		if (err) {
			/* Refused: the old value, and what it had in place. */
			WRITE_ONCE(pgc_knob_vals[k->id], old);
			pgc_knob_changed[k->id]();
		}
	}
	mutex_unlock(&pgc_knob_mutex);
	return err ? err : count;
}

/*
 * debugfs "knobs": every knob's range, default and unit, module-wide ones
 * with their value, so that tools need not copy them (bounds of all of
 * RAM printed in pages).
 */
static void pgc_knob_line(struct seq_file *m, const struct pgc_knob_desc *d,
			  u64 ram)
{
	seq_printf(m, "knob %s scope %s unit %s min %llu max %llu default %llu zero_off %d",
		   d->name, d->scope, d->unit, pgc_knob_bound(d->min, ram),
		   pgc_knob_bound(d->max, ram), pgc_knob_bound(d->def, ram),
		   d->zero_off);
}

int pgc_knobs_show(struct seq_file *m, void *unused)
{
	u64 ram = totalram_pages();
	int i;

	for (i = 0; i < PGC_K_NR; i++) {
		pgc_knob_line(m, &pgc_knob_descs[i], ram);
		seq_printf(m, " value %u\n", pgc_knob(i));
	}
	for (i = 0; i < PGC_PFF_NKNOBS; i++) {
		pgc_knob_line(m, &pgc_pff_knob_descs[i], ram);
		seq_putc(m, '\n');
	}
	for (i = 0; i < PGC_HAND_NKNOBS; i++) {
		pgc_knob_line(m, &pgc_hand_knob_descs[i], ram);
		seq_putc(m, '\n');
	}
	return 0;
}

static struct kobj_attribute pgc_version_attr =
	__ATTR(version, 0444, pgc_version_show, NULL);
static struct kobj_attribute pgc_ad_pid_attr =
	__ATTR(pid, 0600, pgc_ad_pid_show, pgc_ad_pid_store);
static struct kobj_attribute pgc_ad_sweep_attr =
	__ATTR(sweep, 0200, NULL, pgc_ad_sweep_store);

static struct attribute *pgc_attrs[] = {
	&pgc_version_attr.attr,
	NULL
};

/*
 * A directory per scope of knobs: its fixed files, then its knobs'
 * (pgc_sysfs_init), then NULL.
 */
static struct attribute *pgc_ad_attrs[2 + PGC_K_NR + 1] = {
	&pgc_ad_pid_attr.attr,
	&pgc_ad_sweep_attr.attr,
};

static struct attribute *pgc_clock_attrs[PGC_K_NR + 1];
static struct attribute *pgc_faults_attrs[PGC_K_NR + 1];

static const struct attribute_group pgc_attr_group = {
	.attrs = pgc_attrs,
};

static const struct attribute_group pgc_ad_group = {
	.name = "ad",
	.attrs = pgc_ad_attrs,
};

static const struct attribute_group pgc_clock_group = {
	.name = "clock",
	.attrs = pgc_clock_attrs,
};

static const struct attribute_group pgc_faults_group = {
	.name = "faults",
	.attrs = pgc_faults_attrs,
};

static const struct attribute_group *pgc_attr_groups[] = {
	&pgc_attr_group,
	&pgc_ad_group,
	&pgc_clock_group,
	&pgc_faults_group,
	NULL
};

/* Each knob's file into its scope's directory. */
static void pgc_knob_attrs_init(void)
{
	unsigned int nad = 2, nclock = 0, nfaults = 0;
	int i;

	for (i = 0; i < PGC_K_NR; i++) {
		struct pgc_knob_attr *k = &pgc_knob_attrs[i];
		const char *scope = pgc_knob_descs[i].scope;

		sysfs_attr_init(&k->attr.attr);
		k->attr.attr.name = pgc_knob_descs[i].name;
		k->attr.attr.mode = 0600;
		k->attr.show = pgc_knob_show;
		k->attr.store = pgc_knob_store;
		k->id = i;
		if (!strcmp(scope, "ad"))
			pgc_ad_attrs[nad++] = &k->attr.attr;
		else if (!strcmp(scope, "faults"))
			pgc_faults_attrs[nfaults++] = &k->attr.attr;
		else if (!WARN_ON_ONCE(strcmp(scope, "clock")))
			pgc_clock_attrs[nclock++] = &k->attr.attr;
	}
}

int pgc_sysfs_init(void)
{
	int err;

	pgc_knob_attrs_init();
	pgc_kobj = kobject_create_and_add("pageclock", kernel_kobj);
	if (!pgc_kobj)
		return -ENOMEM;
	err = sysfs_create_groups(pgc_kobj, pgc_attr_groups);
	if (err)
		goto fail;
	err = pgc_clock_sysfs_init(pgc_kobj);
	if (err)
		goto fail;
	return 0;

fail:
	pgc_sysfs_exit();
	return err;
}

/* As pgc_clock_sysfs_exit(): the files gone when this returns. */
void pgc_sysfs_exit(void)
{
	pgc_clock_sysfs_exit();
	if (!pgc_kobj)
		return;
	kobject_del(pgc_kobj);
	kobject_put(pgc_kobj);
	pgc_kobj = NULL;
}
