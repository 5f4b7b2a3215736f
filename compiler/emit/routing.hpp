#pragma once
// The derived lookup tables of Snapshot.routing (cli.md §4, issue 4 "Precomputed routing"):
// exact-host hash table, wildcard suffixes (longest first), default vhost, MIME table, trusted
// proxy CIDRs and compiled route regexes.

#include <flatbuffers/flatbuffers.h>

#include <vector>

#include "compiler/ir/value.hpp"

namespace flux::compiler::emit {

flatbuffers::uoffset_t build_routing(flatbuffers::FlatBufferBuilder& fbb, const ir::Document& doc,
                                     const std::vector<flatbuffers::uoffset_t>& regexes);

}  // namespace flux::compiler::emit
