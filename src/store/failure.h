#pragma once

#include <stdexcept>
#include <string>

#include "core/status.h"

namespace paysandbox {

// How the store reports that the database refused an operation: a named
// Error (kStorage, or kConflict where a constraint was broken) whose message
// says which statement failed and why. SQLite's own exception never leaves
// store/: Store::with(), Store::transaction() and Store::Transaction turn it
// into this, and the router answers it like any other Error.
class StoreFailure : public std::runtime_error {
 public:
  explicit StoreFailure(Error error)
      : std::runtime_error(error.message), error_(std::move(error)) {}
  const Error& error() const { return error_; }

 private:
  Error error_;
};

// The Error for an SQLite error `code` (its primary result code) with
// `reason`, met while running `statement` (empty when unknown).
Error storage_error(int code, const std::string& reason, const std::string& statement);

}  // namespace paysandbox
