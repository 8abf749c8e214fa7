/* Names for shoal_status values, for messages and reports. */
#include "base/status.h"

const char *shoal_status_str(shoal_status s)
{
  switch (s) {
  case SHOAL_OK: return "ok";
  case SHOAL_ERR_USAGE: return "usage error";
  case SHOAL_ERR_DATA: return "bad data or style";
  case SHOAL_ERR_NOINPUT: return "missing input";
  case SHOAL_ERR_INTERNAL: return "internal error";
  case SHOAL_ERR_CANTCREAT: return "cannot write output";
  case SHOAL_ERR_INTERRUPTED: return "interrupted";
  }
  return "unknown status";
}
