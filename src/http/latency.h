#pragma once

#include <array>
#include <atomic>
#include <cstdint>

namespace paysandbox {

// Request latencies of one route since start, in a fixed number of buckets:
// exact below 8 microseconds, then 8 buckets per power of two (each within
// about 6 % of the values it holds), up to 2^30 microseconds (about 18
// minutes; longer ones count in the last bucket). Its size never grows with
// the number of requests, and record() takes no lock, so every request can
// add to it. The buckets are allocated by the first record(): a route that
// is never called costs one pointer, not 1.8 KiB written at start-up.
class LatencyHistogram {
 public:
  LatencyHistogram() = default;
  ~LatencyHistogram();
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  static constexpr int kSubBuckets = 8;
  static constexpr int kTopPower = 30;
  static constexpr int kBuckets = (kTopPower - 2) * kSubBuckets + kSubBuckets;

  void record(double milliseconds);
  std::uint64_t count() const;
  // The latency at quantile q (0 < q <= 1) in milliseconds, as the middle of
  // the bucket that holds it; 0 when nothing was recorded.
  double quantile(double q) const;

  // Which bucket holds `micros`, and the range of values a bucket holds.
  static int bucket_of(std::uint64_t micros);
  static std::uint64_t bucket_low(int bucket);
  static std::uint64_t bucket_high(int bucket);  // exclusive

 private:
  using Counts = std::array<std::atomic<std::uint64_t>, kBuckets>;
  Counts& counts_for_record();
  std::atomic<Counts*> counts_{nullptr};
};

}  // namespace paysandbox
