#include <gtest/gtest.h>

#include "runtime/metrics/registry.hpp"

namespace flux::runtime::metrics {
namespace {

TEST(MetricsRegistry, ExposesCountersWithEscapedLabels) {
  Registry r;
  const Label labels[] = {{"vhost", "a\"b"}, {"status", "200"}};
  r.counter("fluxheim_test_total", "A test counter.", labels).inc(3);
  r.counter("fluxheim_test_total", "A test counter.", labels).inc();
  const std::string text = r.expose();
  EXPECT_NE(text.find("# TYPE fluxheim_test_total counter"), std::string::npos);
  EXPECT_NE(text.find("fluxheim_test_total{vhost=\"a\\\"b\",status=\"200\"} 4"), std::string::npos);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulative) {
  Registry r;
  auto& h = r.histogram("fluxheim_test_seconds", "A test histogram.", {});
  h.observe(0.003);
  h.observe(0.2);
  h.observe(100);
  const std::string text = r.expose();
  EXPECT_NE(text.find("fluxheim_test_seconds_bucket{le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(text.find("fluxheim_test_seconds_bucket{le=\"0.25\"} 2"), std::string::npos);
  EXPECT_NE(text.find("fluxheim_test_seconds_bucket{le=\"+Inf\"} 3"), std::string::npos);
  EXPECT_NE(text.find("fluxheim_test_seconds_count 3"), std::string::npos);
}

}  // namespace
}  // namespace flux::runtime::metrics
