#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/session.h"
#include "store/connection.h"

namespace paysandbox {

// How the options column is written and read. The spelling is wire/'s
// (JSON), which the store may not include: the session service hands its
// encoder and decoder in, so a HostedSession carries its options in one form.
struct SessionOptionsCodec {
  std::string (*encode)(const SessionOptions&) = nullptr;
  SessionOptions (*decode)(const std::string&) = nullptr;
};

class SessionStore {
 public:
  explicit SessionStore(Store& store);

  // Set once, before the first read or write (SessionService's constructor).
  void set_options_codec(SessionOptionsCodec codec) { codec_ = codec; }

  void insert(const HostedSession& session);
  // By id alone: a browser call names the session, and its account follows.
  std::optional<HostedSession> find(const std::string& id);
  void update(const HostedSession& session);
  // Active sessions of the account whose expiry is at or before `now`.
  std::vector<HostedSession> due_for_expiry(const std::string& account_uid, Millis now);
  // Every session of the account, oldest first (the dashboard's list).
  std::vector<HostedSession> list_for_account(const std::string& account_uid);
  // Accounts that have at least one active session.
  std::vector<std::string> accounts_with_active();

  Store& store() { return store_; }

 private:
  HostedSession read(SQLite::Statement& s) const;
  void bind(SQLite::Statement& s, const HostedSession& h) const;

  Store& store_;
  SessionOptionsCodec codec_;
};

}  // namespace paysandbox
