// Must NOT compile under clang with -Werror=thread-safety: a member guarded
// by a mutex is written without holding it. tests/CMakeLists.txt compiles it
// and expects the failure, so the analysis cannot be switched off unnoticed.
#include "core/thread_annotations.h"

namespace {

class Counter {
 public:
  void bump() { ++count_; }  // the mutex is not held

 private:
  paysandbox::Mutex mutex_;
  int count_ GUARDED_BY(mutex_) = 0;
};

}  // namespace

int main() {
  Counter counter;
  counter.bump();
}
