/* The libyaml version running (for `shoal --version`). */
#ifndef SHOAL_YAMLVERSION_H
#define SHOAL_YAMLVERSION_H

/* libyaml's own version string. Static string. */
const char *shoal_conf_yaml_version(void);

#endif
