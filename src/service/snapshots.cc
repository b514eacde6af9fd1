#include "service/snapshots.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "core/ids.h"

namespace paysandbox {
namespace {

SnapshotInfo info_of(const SnapshotStore::Image& image, Millis created_at) {
  return SnapshotInfo{image.name, image.account_uid, created_at, image.rows, image.bytes.size()};
}

Error no_snapshot(const std::string& name) {
  return not_found("No snapshot named '" + name + "'; see GET /_sandbox/snapshots.");
}

}  // namespace

SnapshotService::SnapshotService(SnapshotStore& store, AccountService& accounts,
                                 SandboxClock& clock)
    : store_(store), accounts_(accounts), clock_(clock) {}

bool SnapshotService::valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

Result<SnapshotInfo> SnapshotService::save(const std::string& name,
                                           const std::string& account_uid) {
  if (!account_uid.empty() && !accounts_.find(account_uid))
    return not_found("No account '" + account_uid + "'.");
  {
    MutexLock lock(mutex_);
    if (snapshots_.count(name))
      return make_error(ErrorCode::kConflict, "A snapshot named '" + name +
                                                  "' exists; delete it first or pick "
                                                  "another name.");
  }
  SnapshotStore::Image image = store_.save(name, account_uid);
  const Millis now = clock_.server_now();
  MutexLock lock(mutex_);
  if (!snapshots_.emplace(name, image).second)
    return make_error(ErrorCode::kConflict, "A snapshot named '" + name + "' exists.");
  created_[name] = now;
  return info_of(image, now);
}

Result<SnapshotInfo> SnapshotService::restore(const std::string& name) {
  SnapshotStore::Image image;
  Millis created = 0;
  {
    MutexLock lock(mutex_);
    auto it = snapshots_.find(name);
    if (it == snapshots_.end()) return no_snapshot(name);
    image = it->second;
    created = created_[name];
  }
  store_.restore(image);
  changed(image.account_uid);
  return info_of(image, created);
}

std::vector<SnapshotInfo> SnapshotService::list() const {
  MutexLock lock(mutex_);
  std::vector<SnapshotInfo> out;
  for (const auto& [name, image] : snapshots_) out.push_back(info_of(image, created_.at(name)));
  return out;
}

bool SnapshotService::remove(const std::string& name) {
  MutexLock lock(mutex_);
  created_.erase(name);
  return snapshots_.erase(name) > 0;
}

Result<std::string> SnapshotService::file(const std::string& name) const {
  MutexLock lock(mutex_);
  auto it = snapshots_.find(name);
  if (it == snapshots_.end()) return no_snapshot(name);
  return it->second.bytes;
}

Result<SnapshotInfo> SnapshotService::load_file(const std::string& bytes) {
  SnapshotStore::Image image;
  try {
    image = store_.inspect(bytes);
  } catch (const std::exception& e) {
    return validation_error("", std::string("The snapshot cannot be loaded: ") + e.what() + ".");
  }
  if (!valid_name(image.name))
    return validation_error("", "The snapshot file names no valid snapshot.");
  const Millis now = clock_.server_now();
  MutexLock lock(mutex_);
  snapshots_[image.name] = image;
  created_[image.name] = now;
  return info_of(image, now);
}

Result<Account> SnapshotService::fork(const std::string& source_uid) {
  auto source = accounts_.find(source_uid);
  if (!source) return not_found("No account '" + source_uid + "'.");
  const std::string uid = new_id("pa_");
  const std::string secret = "whsec_" + random_hex(24);
  {
    // The copy's ids count in the new account, as if it had made them.
    IdScope scope(current_id_source(), uid);
    store_.fork(source_uid, uid, secret, [](const std::string& prefix) { return new_id(prefix); });
  }
  accounts_.reload(uid);
  changed(uid);
  auto account = accounts_.find(uid);
  if (!account) return make_error(ErrorCode::kInternal, "The fork left no account row.");
  return *account;
}

void SnapshotService::on_change(Hook hook) {
  MutexLock lock(mutex_);
  hooks_.push_back(std::move(hook));
}

void SnapshotService::changed(const std::string& account_uid) {
  std::vector<Hook> hooks;
  {
    MutexLock lock(mutex_);
    hooks = hooks_;
  }
  for (const auto& hook : hooks) hook(account_uid);
}

}  // namespace paysandbox
