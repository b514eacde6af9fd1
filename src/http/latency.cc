#include "http/latency.h"

#include <cmath>
#include <memory>

namespace paysandbox {

int LatencyHistogram::bucket_of(std::uint64_t micros) {
  if (micros < kSubBuckets) return static_cast<int>(micros);
  int power = 63 - __builtin_clzll(micros);  // >= 3
  if (power >= kTopPower) return kBuckets - 1;
  const int sub = static_cast<int>((micros >> (power - 3)) & (kSubBuckets - 1));
  return (power - 2) * kSubBuckets + sub;
}

std::uint64_t LatencyHistogram::bucket_low(int bucket) {
  if (bucket < kSubBuckets) return static_cast<std::uint64_t>(bucket);
  const int power = bucket / kSubBuckets + 2;
  const std::uint64_t sub = static_cast<std::uint64_t>(bucket % kSubBuckets);
  return (kSubBuckets + sub) << (power - 3);
}

std::uint64_t LatencyHistogram::bucket_high(int bucket) {
  if (bucket < kSubBuckets) return static_cast<std::uint64_t>(bucket) + 1;
  const int power = bucket / kSubBuckets + 2;
  const std::uint64_t sub = static_cast<std::uint64_t>(bucket % kSubBuckets);
  return (kSubBuckets + sub + 1) << (power - 3);
}

LatencyHistogram::~LatencyHistogram() { delete counts_.load(std::memory_order_acquire); }

LatencyHistogram::Counts& LatencyHistogram::counts_for_record() {
  Counts* counts = counts_.load(std::memory_order_acquire);
  if (counts != nullptr) return *counts;
  // Two first requests at once: one allocation wins, the other is freed.
  auto fresh = std::make_unique<Counts>();
  if (counts_.compare_exchange_strong(counts, fresh.get(), std::memory_order_acq_rel))
    return *fresh.release();
  return *counts;  // the winner's, loaded by the failed exchange
}

void LatencyHistogram::record(double milliseconds) {
  const double micros = milliseconds > 0 ? std::round(milliseconds * 1000.0) : 0.0;
  const std::uint64_t value = micros >= 9.0e18 ? ~0ULL : static_cast<std::uint64_t>(micros);
  counts_for_record()[static_cast<std::size_t>(bucket_of(value))].fetch_add(
      1, std::memory_order_relaxed);
}

std::uint64_t LatencyHistogram::count() const {
  const Counts* counts = counts_.load(std::memory_order_acquire);
  std::uint64_t total = 0;
  if (counts != nullptr)
    for (const auto& c : *counts) total += c.load(std::memory_order_relaxed);
  return total;
}

double LatencyHistogram::quantile(double q) const {
  const Counts* recorded = counts_.load(std::memory_order_acquire);
  if (recorded == nullptr) return 0;
  std::array<std::uint64_t, kBuckets> counts;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    counts[i] = (*recorded)[i].load(std::memory_order_relaxed);
    total += counts[i];
  }
  if (total == 0) return 0;
  // The rank of the wanted request, 1-based: the smallest that has at least
  // q of all requests at or below it.
  const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  std::uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts[static_cast<std::size_t>(i)];
    if (seen >= rank && counts[static_cast<std::size_t>(i)] > 0) {
      const double middle = (static_cast<double>(bucket_low(i)) + bucket_high(i)) / 2.0;
      return (i < kSubBuckets ? static_cast<double>(i) : middle) / 1000.0;
    }
  }
  return static_cast<double>(bucket_low(kBuckets - 1)) / 1000.0;
}

}  // namespace paysandbox
