// SPDX-License-Identifier: GPL-2.0
/*
 * The CLOCK's targets in sysfs: /sys/kernel/pageclock/targets/<n>/, one
 * directory per slot of the target table, always there.  Each file holds
 * one setting, staged: writing "commit" to the slot's state applies them
 * all at once, so that settings that must agree (pff/low below pff/high,
 * budget_pages within [pff/min, pff/max]) are checked together and a
 * refused commit changes nothing.  Documentation/abi.md lists the files.
 */
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>
#include "internal.h"
#include "clock.h"

/*
 * What each slot's number files hold (enum pgc_target_val_id); the mutex
 * orders writes and commits.
 */
static u64 pgc_staged[PGC_MAX_TARGETS][PGC_T_NR];
static DEFINE_MUTEX(pgc_staged_mutex);

static struct kobject *pgc_targets_kobj;
static struct kobject *pgc_slot_kobj[PGC_MAX_TARGETS];

/*
 * The slot whose directory @kobj is, by its name (pff/ and hand/ are
 * groups of the same kobject); -ENODEV if it is not one.
 */
static int pgc_slot_of(struct kobject *kobj, unsigned int *slot)
{
	if (kstrtouint(kobject_name(kobj), 10, slot) ||
	    WARN_ON_ONCE(*slot >= PGC_MAX_TARGETS))
		return -ENODEV;
	return 0;
}

static const struct pgc_knob_desc *pgc_slot_desc(unsigned int id)
{
	if (id < PGC_T_KNOB0)
		return &pgc_target_descs[id];
	if (id < PGC_T_HAND0)
		return &pgc_pff_knob_descs[id - PGC_T_KNOB0];
	return &pgc_hand_knob_descs[id - PGC_T_HAND0];
}

/* A number file of a slot, named and checked by its descriptor. */
struct pgc_slot_attr {
	struct kobj_attribute attr;
	unsigned int id;
};

static struct pgc_slot_attr pgc_slot_attrs[PGC_T_NR];

static ssize_t pgc_slot_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	struct pgc_slot_attr *a = container_of(attr, struct pgc_slot_attr, attr);
	unsigned int slot;
	u64 v;

	if (pgc_slot_of(kobj, &slot))
		return -ENODEV;
	mutex_lock(&pgc_staged_mutex);
	v = pgc_staged[slot][a->id];
	mutex_unlock(&pgc_staged_mutex);
	return sysfs_emit(buf, "%llu\n", v);
}

static ssize_t pgc_slot_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct pgc_slot_attr *a = container_of(attr, struct pgc_slot_attr, attr);
	unsigned int slot;
	u64 v;
	int err = pgc_slot_of(kobj, &slot);

	if (!err)
		err = pgc_knob_write(pgc_slot_desc(a->id), buf, count,
				     totalram_pages(), &v);
	if (err)
		return err;
	mutex_lock(&pgc_staged_mutex);
	pgc_staged[slot][a->id] = v;
	mutex_unlock(&pgc_staged_mutex);
	return count;
}

static ssize_t pgc_slot_state_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	unsigned int slot;

	if (pgc_slot_of(kobj, &slot))
		return -ENODEV;
	return sysfs_emit(buf, "%s\n", pgc_clock_slot_state(slot));
}

/* "commit": the staged settings become the slot's target; "off": it goes. */
static ssize_t pgc_slot_state_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	struct pgc_target_req req;
	unsigned int slot, i;
	const u64 *v;
	int err;

	if (pgc_slot_of(kobj, &slot))
		return -ENODEV;
	/* sysfs_streq() would stop at a NUL: "off\0junk" is not "off". */
	if (!pgc_text_ok(buf, count))
		return -EINVAL;
	v = pgc_staged[slot];
	err = 0;
	mutex_lock(&pgc_staged_mutex);
	if (sysfs_streq(buf, "commit")) {
		req.pid = v[PGC_T_PID];
		req.budget = v[PGC_T_BUDGET];
		req.pff = v[PGC_T_PFF];
		for (i = 0; i < PGC_PFF_NKNOBS; i++)
			*pgc_pff_knob(&req.k, i) = v[PGC_T_KNOB0 + i];
		req.hand.policy = v[PGC_T_HAND0 + PGC_HAND_K_POLICY];
		req.hand.k = v[PGC_T_HAND0 + PGC_HAND_K_K];
		err = pgc_clock_commit(slot, &req);
	} else if (sysfs_streq(buf, "off")) {
		pgc_clock_off(slot);
	} else {
		err = -EINVAL;
	}
	mutex_unlock(&pgc_staged_mutex);
	return err ? err : count;
}

static struct kobj_attribute pgc_state_attr =
	__ATTR(state, 0600, pgc_slot_state_show, pgc_slot_state_store);

/* state, pid and budget_pages (pgc_clock_sysfs_init), NULL. */
static struct attribute *pgc_slot_group_attrs[PGC_T_PFF + 2] = {
	&pgc_state_attr.attr,
};

/* enabled and the knobs (pgc_clock_sysfs_init), NULL. */
static struct attribute *pgc_pff_group_attrs[PGC_T_HAND0 - PGC_T_PFF + 1];

/* policy and k (pgc_clock_sysfs_init), NULL. */
static struct attribute *pgc_hand_group_attrs[PGC_HAND_NKNOBS + 1];

static const struct attribute_group pgc_slot_group = {
	.attrs = pgc_slot_group_attrs,
};

static const struct attribute_group pgc_pff_group = {
	.name = "pff",
	.attrs = pgc_pff_group_attrs,
};

static const struct attribute_group pgc_hand_group = {
	.name = "hand",
	.attrs = pgc_hand_group_attrs,
};

static const struct attribute_group *pgc_slot_groups[] = {
	&pgc_slot_group,
	&pgc_pff_group,
	&pgc_hand_group,
	NULL
};

int pgc_clock_sysfs_init(struct kobject *root)
{
	struct pgc_pff_knobs def;
	unsigned int i, slot;
	int err;
	u64 v;

	pgc_pff_defaults(&def, totalram_pages());
	for (i = 0; i < PGC_T_NR; i++) {
		struct pgc_slot_attr *a = &pgc_slot_attrs[i];

		sysfs_attr_init(&a->attr.attr);
		a->attr.attr.name = pgc_slot_desc(i)->name;
		a->attr.attr.mode = 0600;
		a->attr.show = pgc_slot_show;
		a->attr.store = pgc_slot_store;
		a->id = i;
		if (i < PGC_T_PFF)
			pgc_slot_group_attrs[1 + i] = &a->attr.attr;
		else if (i < PGC_T_HAND0)
			pgc_pff_group_attrs[i - PGC_T_PFF] = &a->attr.attr;
		else
			pgc_hand_group_attrs[i - PGC_T_HAND0] = &a->attr.attr;
		/* pid 0, no budget, PFF off, the knobs' defaults. */
		v = 0;
		if (i >= PGC_T_HAND0)
			v = pgc_hand_knob_descs[i - PGC_T_HAND0].def;
		else if (i >= PGC_T_KNOB0)
			v = *pgc_pff_knob(&def, i - PGC_T_KNOB0);
		for (slot = 0; slot < PGC_MAX_TARGETS; slot++)
			pgc_staged[slot][i] = v;
	}

	pgc_targets_kobj = kobject_create_and_add("targets", root);
	if (!pgc_targets_kobj)
		return -ENOMEM;
	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		char name[8];

		snprintf(name, sizeof(name), "%u", i);
		err = -ENOMEM;
		pgc_slot_kobj[i] = kobject_create_and_add(name, pgc_targets_kobj);
		if (!pgc_slot_kobj[i])
			goto fail;
		err = sysfs_create_groups(pgc_slot_kobj[i], pgc_slot_groups);
		if (err)
			goto fail;
	}
	return 0;

fail:
	pgc_clock_sysfs_exit();
	return err;
}

/*
 * The files go now, waiting for every read and write under way (kernfs
 * drains them), even where the kobjects' release comes later.
 */
void pgc_clock_sysfs_exit(void)
{
	unsigned int i;

	for (i = 0; i < PGC_MAX_TARGETS; i++) {
		if (!pgc_slot_kobj[i])
			continue;
		kobject_del(pgc_slot_kobj[i]);
		kobject_put(pgc_slot_kobj[i]);
		pgc_slot_kobj[i] = NULL;
	}
	if (pgc_targets_kobj) {
		kobject_del(pgc_targets_kobj);
		kobject_put(pgc_targets_kobj);
		pgc_targets_kobj = NULL;
	}
}
