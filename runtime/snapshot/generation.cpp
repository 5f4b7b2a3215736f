#include "runtime/snapshot/generation.hpp"

#include "snapshot/fxs_generated.h"

namespace flux::runtime {

const fxs::Config& Generation::config() const { return *root().config(); }

}  // namespace flux::runtime
