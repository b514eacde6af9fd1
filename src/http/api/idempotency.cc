// The request's unit of work and the one Idempotency-Key mechanism: an
// interceptor around every mutating request under /api/ and /v1/, whatever
// the route.
#include "service/idempotency.h"

#include <openssl/evp.h>

#include "http/api/routes.h"
#include "http/errors.h"
#include "store/crash_point.h"

namespace paysandbox {
namespace {

constexpr const char* kHeader = "Idempotency-Key";
constexpr size_t kMaxKeyLength = 255;

bool merchant_api(const HttpRequest& request) {
  return request.path.rfind("/api/", 0) == 0 || request.path.rfind("/v1/", 0) == 0;
}

// Requests whose writes are one unit of work. The control API (/_sandbox/)
// is left out on purpose: a clock advance waits for webhook deliveries that
// the dispatcher records in the store, which it could not while the
// advancing request held it.
bool mutating(const HttpRequest& request) {
  return merchant_api(request) && request.method != "GET" && request.method != "HEAD";
}

// A digest of what makes two requests "the same": method, path and the body
// byte for byte. Lengths are included so no two different triples collide by
// shifting bytes between fields.
std::string request_fingerprint(const HttpRequest& request) {
  std::string text = request.method + "\n" + std::to_string(request.path.size()) + "\n" +
                     request.path + "\n" + request.body;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 15]);
  }
  return out;
}

// The identity of a keyed request, for recording its answer.
struct KeyedRequest {
  std::string tenant;
  std::string clock_account;
  std::string key;
  std::string fingerprint;
};

// Runs the route inside one unit of work: its domain writes, the events it
// emits and (for a keyed request) the answer recorded for the key commit
// together, before the answer goes out; the dispatcher hears of the events
// from the commit. An Error is an answer like any other (a decline marks the
// payment failed and answers 402), so it commits too, recorded as the router
// will render it (with this request's id, so a replay is the same bytes). A
// storage error (the database refused a write) or an exception rolls
// everything back and leaves the key unused.
Result<Reply> run_unit(Call& call, IdempotencyService& idempotency, const Next& next,
                       const KeyedRequest* keyed) {
  const std::string key = keyed ? keyed->key : std::string();
  const bool crash_armed = crash_armed_for(key);
  Store::Transaction unit(idempotency.store());
  if (crash_armed) unit.arm_crash_points(key);
  Result<Reply> answer = next();
  if (!answer.ok() && answer.error().code == ErrorCode::kStorage) return answer;
  if (unit.wrote()) idempotency.store().crash_point(CrashPoint::kAfterDomainWrite);
  if (keyed) {
    const Reply rendered = answer.ok() ? *answer : error_reply(answer.error(), call.request_id);
    if (IdempotencyService::worth_storing(rendered.status))
      idempotency.record(
          keyed->tenant, keyed->clock_account, keyed->key, keyed->fingerprint,
          StoredResponse{{}, rendered.status, rendered.content_type, rendered.body, 0});
  }
  // The answer waits for the COMMIT; where the caller can send it later (the
  // HTTP server), without holding a thread (core/waiting.h). A crash point
  // after the commit needs the commit done first.
  if (crash_armed)
    unit.commit();
  else
    unit.commit_or_defer();
  if (crash_armed) crash_at(CrashPoint::kAfterCommitBeforeAnswer);
  return answer;
}

}  // namespace

void add_idempotency_interceptor(Router& router, IdempotencyService& idempotency) {
  router.add_interceptor([&idempotency](Call& call, const Next& next) -> Result<Reply> {
    if (!mutating(call.request)) return next();
    const std::string key = call.request.header(kHeader);
    if (key.empty() || call.request.method != "POST")
      return run_unit(call, idempotency, next, nullptr);
    if (key.size() > kMaxKeyLength)
      return validation_error(kHeader, "The Idempotency-Key header is " +
                                           std::to_string(key.size()) +
                                           " characters; send at most 255.");
    KeyedRequest keyed{call.tenant(), call.account ? call.account->uid : std::string(), key,
                       request_fingerprint(call.request)};
    auto claim = idempotency.begin(keyed.tenant, keyed.clock_account, key, keyed.fingerprint);
    switch (claim.decision) {
      case IdempotencyService::Decision::kReplay: {
        Reply replay = reply_raw(claim.stored.status, claim.stored.body, claim.stored.content_type);
        replay.set_header("Idempotent-Replayed", "true");
        return replay;
      }
      case IdempotencyService::Decision::kMismatch:
        return make_error(ErrorCode::kConflict,
                          "Idempotency-Key '" + key +
                              "' was already used for a different request (method, path "
                              "or body differ); use a new key for a new request.",
                          kHeader);
      case IdempotencyService::Decision::kInFlight:
        return make_error(ErrorCode::kConflict,
                          "A request with Idempotency-Key '" + key +
                              "' is still running; retry once it has answered.",
                          kHeader);
      case IdempotencyService::Decision::kProceed:
        break;
    }
    // Released after the unit of work is committed or rolled back: a
    // duplicate arriving before then is refused as in flight, and one
    // arriving after finds the committed answer (or, after a rollback,
    // nothing, and runs).
    struct Release {
      IdempotencyService& idempotency;
      const KeyedRequest& keyed;
      ~Release() { idempotency.release(keyed.tenant, keyed.key); }
    } release{idempotency, keyed};
    return run_unit(call, idempotency, next, &keyed);
  });
}

}  // namespace paysandbox
