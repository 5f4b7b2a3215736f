#include "runtime/metrics/registry.hpp"

#include <cmath>
#include <cstdio>

namespace flux::runtime::metrics {
namespace {

constexpr double kDefaultBuckets[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                      1,     2.5,  5,     10,   30,  60};
constexpr double kQueueBuckets[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                    0.5,   1,     2.5,  5,     10,   30,  60};

std::string render_labels(std::span<const Label> labels) {
  if (labels.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i != 0) out.push_back(',');
    out.append(labels[i].name).append("=\"").append(escape_label_value(labels[i].value));
    out.push_back('"');
  }
  out.push_back('}');
  return out;
}

std::string format_double(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  return buf;
}

// Inserts `extra` (e.g. le="0.1") into a rendered label set.
std::string with_label(const std::string& labels, const std::string& extra) {
  if (labels.empty()) return "{" + extra + "}";
  return labels.substr(0, labels.size() - 1) + "," + extra + "}";
}

// A per-thread cache of series pointers, keyed by a hash of the family name and the label
// values, so a hit allocates nothing. Series are never freed while the registry lives, and the
// registry lives for the whole process.
struct CacheEntry {
  std::string_view family;  // points at the Family's own name
  std::vector<std::string> values;
  void* series = nullptr;
};
struct ThreadCache {
  std::uint64_t owner = 0;  // Registry::id_, never reused (an address could be)
  std::unordered_map<std::uint64_t, std::vector<CacheEntry>> entries;
};
thread_local ThreadCache t_cache;

std::uint64_t mix(std::uint64_t h, std::string_view s) {
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return (h ^ 0xff) * 0x100000001b3ULL;  // separator, so ("ab","c") != ("a","bc")
}

bool same_values(const std::vector<std::string>& stored, std::span<const Label> labels) {
  if (stored.size() != labels.size()) return false;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    if (stored[i] != labels[i].value) return false;
  }
  return true;
}

}  // namespace

std::string escape_label_value(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::uint64_t Registry::next_id() {
  static std::atomic<std::uint64_t> ids{0};
  return ids.fetch_add(1) + 1;
}

std::span<const double> default_buckets() { return kDefaultBuckets; }
std::span<const double> queue_wait_buckets() { return kQueueBuckets; }

Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds.begin(), bounds.end()),
      buckets_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  std::size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  if (v > 0) sum_micros_.fetch_add(static_cast<std::uint64_t>(v * 1e6), std::memory_order_relaxed);
}

double Histogram::sum() const {
  return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
}

Registry::Series& Registry::find_or_create(Kind kind, std::string_view family_name,
                                           std::string_view help, std::span<const Label> labels,
                                           std::span<const double> bounds) {
  if (t_cache.owner != id_) {
    t_cache.owner = id_;
    t_cache.entries.clear();
  }
  std::uint64_t key = mix(0xcbf29ce484222325ULL, family_name);
  for (const Label& l : labels) key = mix(mix(key, l.name), l.value);
  auto& bucket = t_cache.entries[key];
  for (const CacheEntry& e : bucket) {
    if (e.family == family_name && same_values(e.values, labels)) return *static_cast<Series*>(e.series);
  }
  std::string labels_text = render_labels(labels);
  std::lock_guard lock(mutex_);
  Family*& family = by_name_[std::string(family_name)];
  if (family == nullptr) {
    families_.push_back(std::make_unique<Family>());
    family = families_.back().get();
    family->name = family_name;
    family->help = help;
    family->kind = kind;
  }
  Series*& series = family->by_labels[labels_text];
  if (series == nullptr) {
    family->series.push_back(std::make_unique<Series>());
    series = family->series.back().get();
    series->labels = std::move(labels_text);
    if (kind == Kind::kCounter) series->counter = std::make_unique<Counter>();
    if (kind == Kind::kGauge) series->gauge = std::make_unique<Gauge>();
    if (kind == Kind::kHistogram) series->histogram = std::make_unique<Histogram>(bounds);
  }
  CacheEntry entry{family->name, {}, series};
  for (const Label& l : labels) entry.values.emplace_back(l.value);
  bucket.push_back(std::move(entry));
  return *series;
}

Counter& Registry::counter(std::string_view f, std::string_view h, std::span<const Label> l) {
  return *find_or_create(Kind::kCounter, f, h, l, {}).counter;
}

Gauge& Registry::gauge(std::string_view f, std::string_view h, std::span<const Label> l) {
  return *find_or_create(Kind::kGauge, f, h, l, {}).gauge;
}

Histogram& Registry::histogram(std::string_view f, std::string_view h, std::span<const Label> l,
                               std::span<const double> bounds) {
  return *find_or_create(Kind::kHistogram, f, h, l, bounds).histogram;
}

std::string Registry::expose() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const auto& f : families_) {
    const char* type = f->kind == Kind::kCounter ? "counter"
                       : f->kind == Kind::kGauge ? "gauge"
                                                 : "histogram";
    out += "# HELP " + f->name + " " + f->help + "\n# TYPE " + f->name + " " + type + "\n";
    for (const auto& s : f->series) {
      if (s->counter) out += f->name + s->labels + " " + std::to_string(s->counter->value()) + "\n";
      if (s->gauge) out += f->name + s->labels + " " + std::to_string(s->gauge->value()) + "\n";
      if (!s->histogram) continue;
      const Histogram& h = *s->histogram;
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i <= h.bounds().size(); ++i) {
        cumulative += h.bucket(i);
        const double le = i < h.bounds().size() ? h.bounds()[i] : INFINITY;
        out += f->name + "_bucket" + with_label(s->labels, "le=\"" + format_double(le) + "\"") +
               " " + std::to_string(cumulative) + "\n";
      }
      out += f->name + "_sum" + s->labels + " " + format_double(h.sum()) + "\n";
      out += f->name + "_count" + s->labels + " " + std::to_string(h.count()) + "\n";
    }
  }
  return out;
}

}  // namespace flux::runtime::metrics
