#include "compiler/emit/routing.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "compiler/emit/mime.hpp"
#include "snapshot/fxs_generated.h"
#include "snapshot/host_table.hpp"

namespace flux::compiler::emit {
namespace {

using V = ir::Value;

const std::vector<V>& items(const V* v, std::string_view key) {
  static const std::vector<V> kEmpty;
  const V* r = v != nullptr ? v->get(key) : nullptr;
  return r != nullptr && r->present() ? r->items : kEmpty;
}

struct HostTables {
  std::vector<std::string> exact, suffixes;
  std::vector<std::uint32_t> exact_vhost, suffix_vhost;
};

HostTables collect_hosts(const V& root) {
  HostTables t;
  std::vector<std::tuple<std::string, std::uint32_t>> wild;
  const auto& vhosts = items(&root, "vhosts");
  for (std::uint32_t i = 0; i < vhosts.size(); ++i) {
    for (const V& h : items(&vhosts[i], "hosts")) {
      if (h.str.starts_with("*.")) {
        wild.emplace_back(h.str.substr(1), i);  // "*.example.com" -> ".example.com"
      } else {
        t.exact.push_back(h.str);
        t.exact_vhost.push_back(i);
      }
    }
  }
  std::stable_sort(wild.begin(), wild.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a).size() > std::get<0>(b).size();
  });
  for (auto& [s, i] : wild) {
    t.suffixes.push_back(s);
    t.suffix_vhost.push_back(i);
  }
  return t;
}

// IPv4 becomes IPv4-mapped IPv6 with the prefix length shifted by 96 (fxs.fbs Cidr).
fxs::Cidr to_cidr(const std::string& text) {
  const auto slash = text.find('/');
  const std::string ip = text.substr(0, slash);
  std::array<std::uint8_t, 16> addr{};
  unsigned prefix = 128;
  in_addr v4{};
  if (inet_pton(AF_INET, ip.c_str(), &v4) == 1) {
    addr[10] = addr[11] = 0xff;
    std::memcpy(addr.data() + 12, &v4, 4);
    prefix = slash == std::string::npos ? 128 : 96 + std::stoul(text.substr(slash + 1));
  } else {
    inet_pton(AF_INET6, ip.c_str(), addr.data());
    if (slash != std::string::npos) prefix = std::stoul(text.substr(slash + 1));
  }
  return fxs::Cidr(flatbuffers::span<const std::uint8_t, 16>(addr.data(), 16),
                   static_cast<std::uint8_t>(prefix));
}

std::int32_t default_vhost_index(const V& root) {
  const V* server = root.get("server");
  const V* dv = server != nullptr ? server->get("default_vhost") : nullptr;
  if (dv == nullptr || !dv->present()) return -1;
  const auto& vhosts = items(&root, "vhosts");
  for (std::size_t i = 0; i < vhosts.size(); ++i) {
    const V* name = vhosts[i].get("name");
    if (name != nullptr && name->str == dv->str) return static_cast<std::int32_t>(i);
  }
  return -1;
}

}  // namespace

flatbuffers::uoffset_t build_routing(flatbuffers::FlatBufferBuilder& fbb, const ir::Document& doc,
                                     const std::vector<flatbuffers::uoffset_t>& regexes) {
  const HostTables hosts = collect_hosts(doc.root);
  std::vector<flatbuffers::Offset<fxs::HostEntry>> exact;
  for (std::size_t i = 0; i < hosts.exact.size(); ++i) {
    exact.push_back(
        fxs::CreateHostEntry(fbb, fbb.CreateString(hosts.exact[i]), hosts.exact_vhost[i]));
  }
  std::vector<flatbuffers::Offset<fxs::WildcardEntry>> wild;
  for (std::size_t i = 0; i < hosts.suffixes.size(); ++i) {
    wild.push_back(
        fxs::CreateWildcardEntry(fbb, fbb.CreateString(hosts.suffixes[i]), hosts.suffix_vhost[i]));
  }
  std::vector<flatbuffers::Offset<fxs::MimeEntry>> mime;
  for (const auto& m : mime_types()) {
    mime.push_back(fxs::CreateMimeEntry(fbb, fbb.CreateString(m.ext), fbb.CreateString(m.type)));
  }
  std::vector<fxs::Cidr> cidrs;
  const V* server = doc.root.get("server");
  for (const V& p : items(server, "trusted_proxies")) cidrs.push_back(to_cidr(p.str));
  std::vector<flatbuffers::Offset<fxs::RegexProgram>> regex_offsets;
  for (auto r : regexes) regex_offsets.emplace_back(r);
  const auto hosts_off = fbb.CreateVector(exact);
  const auto buckets_off = fbb.CreateVector(snapshot::build_host_buckets(hosts.exact));
  const auto wild_off = fbb.CreateVector(wild);
  const auto wild_buckets_off = fbb.CreateVector(snapshot::build_host_buckets(hosts.suffixes));
  const auto mime_off = fbb.CreateVector(mime);
  const auto cidr_off = fbb.CreateVectorOfStructs(cidrs);
  const auto regex_off = fbb.CreateVector(regex_offsets);
  return fxs::CreateRouting(fbb, hosts_off, buckets_off, wild_off, wild_buckets_off,
                            default_vhost_index(doc.root), mime_off, cidr_off, regex_off)
      .o;
}

}  // namespace flux::compiler::emit
