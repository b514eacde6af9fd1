#pragma once

namespace paysandbox {

// A thread about to wait for other threads' work (a durable write waiting for
// the COMMIT it shares with other writes) says so with a Waiting scope. If the
// thread belongs to a pool that listens (the HTTP server's workers do), the
// pool can run another request in its place until the wait ends, so that
// waiting writers add to the next shared COMMIT instead of leaving the cores
// idle.
class WaitListener {
 public:
  virtual void waiting_began() = 0;
  virtual void waiting_ended() = 0;

 protected:
  ~WaitListener() = default;
};

// The listener told about the calling thread's waits (none: nobody is told).
void set_wait_listener(WaitListener* listener);

class Waiting {
 public:
  Waiting();
  ~Waiting();
  Waiting(const Waiting&) = delete;
  Waiting& operator=(const Waiting&) = delete;

 private:
  WaitListener* listener_;
};

}  // namespace paysandbox
