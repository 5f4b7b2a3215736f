# Writes OUT: a C++ file holding the binary FlatBuffers schema IN as a byte array, so the
# generic walker (effective_config.cpp) and fluxc's emitter need no file at run time.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" len)
math(EXPR count "${len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT} "// Generated from fxs.bfbs by embed_bfbs.cmake; do not edit.\n"
  "#include \"snapshot/schema_bfbs.hpp\"\n\nnamespace flux::snapshot {\nnamespace {\n"
  "alignas(8) const std::uint8_t kBfbs[${count}] = {${bytes}};\n}  // namespace\n\n"
  "std::span<const std::uint8_t> schema_bfbs() { return kBfbs; }\n\n}  // namespace flux::snapshot\n")
