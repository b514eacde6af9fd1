// The one Idempotency-Key mechanism: an interceptor around every POST under
// /api/ and /v1/, whatever the route.
#include "service/idempotency.h"

#include <openssl/evp.h>

#include "http/errors.h"
#include "http/routes.h"

namespace paysandbox {
namespace {

constexpr const char* kHeader = "Idempotency-Key";
constexpr size_t kMaxKeyLength = 255;

bool covered(const HttpRequest& request) {
  return request.method == "POST" &&
         (request.path.rfind("/api/", 0) == 0 || request.path.rfind("/v1/", 0) == 0);
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

}  // namespace

void add_idempotency_interceptor(Router& router, IdempotencyService& idempotency) {
  router.add_interceptor([&idempotency](Call& call, const std::function<void()>& next) {
    const std::string key = call.request.header(kHeader);
    if (key.empty() || !covered(call.request)) {
      next();
      return;
    }
    if (key.size() > kMaxKeyLength)
      throw ApiError(validation_error(kHeader, "The Idempotency-Key header is " +
                                                   std::to_string(key.size()) +
                                                   " characters; send at most 255."));
    const std::string tenant = call.tenant();
    const std::string clock_account = call.account ? call.account->uid : std::string();
    const std::string fingerprint = request_fingerprint(call.request);
    auto claim = idempotency.begin(tenant, clock_account, key, fingerprint);
    switch (claim.decision) {
      case IdempotencyService::Decision::kReplay:
        call.reply_raw(claim.stored.status, claim.stored.body, claim.stored.content_type);
        call.response.set_header("Idempotent-Replayed", "true");
        return;
      case IdempotencyService::Decision::kMismatch:
        throw ApiError(make_error(ErrorCode::kConflict,
                                  "Idempotency-Key '" + key +
                                      "' was already used for a different request (method, path "
                                      "or body differ); use a new key for a new request.",
                                  kHeader));
      case IdempotencyService::Decision::kInFlight:
        throw ApiError(make_error(ErrorCode::kConflict,
                                  "A request with Idempotency-Key '" + key +
                                      "' is still running; retry once it has answered.",
                                  kHeader));
      case IdempotencyService::Decision::kProceed:
        break;
    }
    std::optional<StoredResponse> answer;
    try {
      next();
      if (IdempotencyService::worth_storing(call.response.status))
        answer = StoredResponse{
            {}, call.response.status, call.response.content_type, call.response.body, 0};
    } catch (const ApiError& e) {
      // The router renders this error after we return; the stored copy is
      // rendered the same way, with this request's id, so a replay is the
      // same bytes.
      const int status = http_status_for(e.error().code);
      if (IdempotencyService::worth_storing(status))
        answer = StoredResponse{
            {}, status, "application/json", error_body(e.error(), call.request_id), 0};
      idempotency.finish(tenant, clock_account, key, fingerprint, std::move(answer));
      throw;
    } catch (...) {
      idempotency.finish(tenant, clock_account, key, fingerprint, std::nullopt);
      throw;
    }
    idempotency.finish(tenant, clock_account, key, fingerprint, std::move(answer));
  });
}

}  // namespace paysandbox
