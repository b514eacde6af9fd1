#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace paysandbox {

// httplib runs a connection on one worker from accept to close, so a fixed
// pool is used up by as many slow or idle clients as it has threads (a
// slow-loris), and then every other client waits. This pool keeps `core`
// workers and starts another whenever a connection arrives with none idle,
// up to `max`; only past that do connections queue.
class ElasticPool : public httplib::TaskQueue {
 public:
  ElasticPool(std::size_t core, std::size_t max);
  ~ElasticPool() override;

  void enqueue(std::function<void()> job) override;
  // Serves the connections still queued, then joins every worker.
  void shutdown() override;

 private:
  void work();

  const std::size_t max_;
  std::mutex mutex_;  // protects everything below
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> workers_;
  std::size_t idle_ = 0;  // workers waiting for a job
  bool stopping_ = false;
};

}  // namespace paysandbox
