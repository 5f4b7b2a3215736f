#pragma once
// Counters, gauges and histograms with Prometheus text exposition 0.0.4.
//
// Series are created on first use and never removed, and every label value comes from the
// configuration or from a fixed set (php-behaviour.md §13), so the number of series is bounded.
// Lookups go through a per-thread cache, so the request path takes the registry lock only the
// first time a thread sees a series.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flux::runtime::metrics {

struct Label {
  std::string_view name;
  std::string_view value;
};

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t d) { value_.fetch_add(d, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

class Histogram {
 public:
  explicit Histogram(std::span<const double> bounds);
  void observe(double v);
  std::span<const double> bounds() const { return bounds_; }
  std::uint64_t bucket(std::size_t i) const { return buckets_[i].load(std::memory_order_relaxed); }
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // cumulative at exposition time
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_micros_{0};
};

// Buckets of php-behaviour.md §13 (seconds).
std::span<const double> default_buckets();
std::span<const double> queue_wait_buckets();

class Registry {
 public:
  // `help` is taken from the first registration of a family.
  Counter& counter(std::string_view family, std::string_view help, std::span<const Label> labels);
  Gauge& gauge(std::string_view family, std::string_view help, std::span<const Label> labels);
  Histogram& histogram(std::string_view family, std::string_view help,
                       std::span<const Label> labels,
                       std::span<const double> bounds = default_buckets());

  std::string expose() const;
  // Process-unique, never reused: keys caches of series pointers.
  std::uint64_t id() const { return id_; }

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Series {
    std::string labels;  // rendered `{a="b",c="d"}` or ""
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
  };
  struct Family {
    std::string name;
    std::string help;
    Kind kind = Kind::kCounter;
    std::vector<std::unique_ptr<Series>> series;
    std::unordered_map<std::string, Series*> by_labels;
  };
  Series& find_or_create(Kind kind, std::string_view family, std::string_view help,
                         std::span<const Label> labels, std::span<const double> bounds);

  static std::uint64_t next_id();
  const std::uint64_t id_ = next_id();  // keys the per-thread series caches
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Family>> families_;  // in registration order
  std::unordered_map<std::string, Family*> by_name_;
};

// Escapes a label value for the text format (backslash, double quote, newline).
std::string escape_label_value(std::string_view v);

}  // namespace flux::runtime::metrics
