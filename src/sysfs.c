// SPDX-License-Identifier: GPL-2.0
/*
 * Control in /sys/kernel/pageclock/: a stable ABI that, unlike debugfs,
 * keeps working under kernel lockdown.
 */
#include <linux/kobject.h>
#include <linux/sysfs.h>
#include "pageclock.h"

static struct kobject *pgc_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", PGC_VERSION);
}

static struct kobj_attribute pgc_version_attr = __ATTR_RO(version);

static struct attribute *pgc_attrs[] = {
	&pgc_version_attr.attr,
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
