#include "http/elastic_pool.h"

#include <algorithm>

namespace paysandbox {

ElasticPool::ElasticPool(std::size_t core, std::size_t max) : max_(std::max(core, max)) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (std::size_t i = 0; i < core; ++i) workers_.emplace_back([this] { work(); });
}

ElasticPool::~ElasticPool() { shutdown(); }

void ElasticPool::enqueue(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(std::move(job));
    if (!stopping_ && jobs_.size() > idle_ && workers_.size() < max_)
      workers_.emplace_back([this] { work(); });
  }
  wake_.notify_one();
}

void ElasticPool::shutdown() {
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    workers.swap(workers_);
  }
  wake_.notify_all();
  for (auto& worker : workers) worker.join();
}

void ElasticPool::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      --idle_;
      // Queued connections are still served on the way out.
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    job();
  }
}

}  // namespace paysandbox
