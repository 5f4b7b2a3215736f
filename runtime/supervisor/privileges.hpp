#pragma once
// Who php-fpm runs as (php-behaviour.md §14.3 "Privileges"). php-fpm started as root refuses
// to run a pool without `user`/`group` (unless -R, which is never passed); started as anyone
// else it cannot switch users, so the pool runs as fluxheim's own identity.

#include <sys/types.h>

#include <string>

#include "runtime/supervisor/pool_spec.hpp"
#include "snapshot/result.hpp"

namespace flux::runtime::supervisor {

struct Identity {
  uid_t euid = 0;
  std::string user;   // name of euid ("" when it has none)
  std::string group;  // name of egid ("" when it has none)
};

// The effective identity of this process.
Identity current_identity();

// As root: user and group must be set (exit 78 with §14.3's message otherwise). Otherwise: they
// must be unset or equal to the current user and group names.
Result<void> check_privileges(const PoolSpec& spec, const Identity& self);

}  // namespace flux::runtime::supervisor
