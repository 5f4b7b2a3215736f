#include <flatbuffers/reflection.h>

#include <cstdlib>

#include "snapshot/schema_bfbs.hpp"

namespace flux::snapshot {

const reflection::Schema& schema() {
  static const reflection::Schema* s = [] {
    const auto bytes = schema_bfbs();
    flatbuffers::Verifier v(bytes.data(), bytes.size());
    // The schema is part of the binary; a failure here is a build defect, not an input error.
    if (!reflection::VerifySchemaBuffer(v)) std::abort();
    return reflection::GetSchema(bytes.data());
  }();
  return *s;
}

}  // namespace flux::snapshot
