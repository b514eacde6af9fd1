// http/latency.h: the per-route latency histogram behind /_sandbox/stats.
#include "http/latency.h"

#include <thread>
#include <vector>

#include "support/catch.h"

using namespace paysandbox;

TEST_CASE("latency: an unused histogram counts nothing and has no quantile", "[unit]") {
  const LatencyHistogram histogram;
  CHECK(histogram.count() == 0);
  CHECK(histogram.quantile(0.5) == 0);
  CHECK(histogram.quantile(0.99) == 0);
}

TEST_CASE("latency: quantiles fall in the bucket of the value at that rank", "[unit]") {
  LatencyHistogram histogram;
  // 98 requests of 1 ms, one of 40 ms, one of 500 ms.
  for (int i = 0; i < 98; ++i) histogram.record(1.0);
  histogram.record(40.0);
  histogram.record(500.0);
  CHECK(histogram.count() == 100);
  const double p50 = histogram.quantile(0.5);
  CHECK(p50 >= 0.94);
  CHECK(p50 <= 1.07);
  const double p99 = histogram.quantile(0.99);  // the 99th of 100: the 40 ms one
  CHECK(p99 >= 37.5);
  CHECK(p99 <= 42.5);
  const double top = histogram.quantile(1.0);
  CHECK(top >= 470);
  CHECK(top <= 530);
  // Below 8 microseconds each value has its own bucket.
  LatencyHistogram small;
  small.record(0.003);
  CHECK(small.quantile(1.0) == Catch::Approx(0.003));
}

TEST_CASE("latency: first requests recorded at once all count", "[unit][concurrency]") {
  // The buckets are allocated by the first record(); threads racing to be
  // first must share one allocation and lose no count.
  for (int round = 0; round < 20; ++round) {
    LatencyHistogram histogram;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
      threads.emplace_back([&histogram] {
        for (int i = 0; i < 250; ++i) histogram.record(2.0);
      });
    for (auto& thread : threads) thread.join();
    REQUIRE(histogram.count() == 2000);
  }
}
