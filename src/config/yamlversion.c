/* The libyaml version running, from libyaml itself. */
#include "config/yamlversion.h"

#include <yaml.h>

const char *shoal_conf_yaml_version(void) { return yaml_get_version_string(); }
