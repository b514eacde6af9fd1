#include "store/payment_store.h"

#include "store/list_sql.h"

namespace paysandbox {
namespace {

// A payment's own columns, then the instrument's (see store/rows.h).
const std::string kPaymentColumns =
    std::string(
        "uid, account_uid, status, base_amount, tax_amount, fee_amount, total_amount, currency, "
        "reference_id, method_type, fingerprint, saved_method_uid, method_request, "
        "transaction_id, failure_code, refunded_amount, created_at, captured_at, updated_at, "
        "instrument_key, ") +
    kInstrumentColumns;

Payment read_payment(SQLite::Statement& s) {
  Payment p;
  p.uid = s.getColumn(0).getString();
  p.account_uid = s.getColumn(1).getString();
  p.status = payment_status_from(s.getColumn(2).getString()).value_or(PaymentStatus::kValidated);
  p.base_amount = s.getColumn(3).getInt64();
  p.tax_amount = s.getColumn(4).getInt64();
  p.processing_fee_amount = s.getColumn(5).getInt64();
  p.total_amount = s.getColumn(6).getInt64();
  p.currency = s.getColumn(7).getString();
  p.reference_id = s.getColumn(8).getString();
  PaymentInstrument& m = p.method;
  m.type =
      payment_method_type_from(s.getColumn(9).getString()).value_or(PaymentMethodType::kCredit);
  m.fingerprint = s.getColumn(10).getString();
  m.saved_method_uid = s.getColumn(11).getString();
  p.method_request = s.getColumn(12).getString();
  p.transaction_id = s.getColumn(13).getString();
  p.failure_code = s.getColumn(14).getString();
  p.refunded_amount = s.getColumn(15).getInt64();
  p.created_at = s.getColumn(16).getInt64();
  p.captured_at = s.getColumn(17).getInt64();
  p.updated_at = s.getColumn(18).getInt64();
  // Column 19, instrument_key, is derived from the instrument on every write.
  read_instrument(s, 20, m.card, m.ach, m.outcome);
  return p;
}

void bind_payment(SQLite::Statement& s, const Payment& p) {
  const PaymentInstrument& m = p.method;
  s.bind(1, p.uid);
  s.bind(2, p.account_uid);
  s.bind(3, payment_status_name(p.status));
  s.bind(4, static_cast<std::int64_t>(p.base_amount));
  s.bind(5, static_cast<std::int64_t>(p.tax_amount));
  s.bind(6, static_cast<std::int64_t>(p.processing_fee_amount));
  s.bind(7, static_cast<std::int64_t>(p.total_amount));
  s.bind(8, p.currency);
  s.bind(9, p.reference_id);
  s.bind(10, payment_method_type_name(m.type));
  s.bind(11, m.fingerprint);
  s.bind(12, m.saved_method_uid);
  s.bind(13, p.method_request);
  s.bind(14, p.transaction_id);
  s.bind(15, p.failure_code);
  s.bind(16, static_cast<std::int64_t>(p.refunded_amount));
  s.bind(17, static_cast<std::int64_t>(p.created_at));
  s.bind(18, static_cast<std::int64_t>(p.captured_at));
  s.bind(19, static_cast<std::int64_t>(p.updated_at));
  s.bind(20, instrument_key(m));
  bind_instrument(s, 21, kind_of(m.type), m.card, m.ach, m.outcome);
}

// Statement texts are built once (static): they key the statement cache, and
// building them per call did so while holding the store's lock.
std::optional<Payment> find_locked(Connection& c, const std::string& account_uid,
                                   const std::string& uid) {
  static const std::string sql =
      "SELECT " + kPaymentColumns + " FROM payments WHERE account_uid = ? AND uid = ?";
  auto& s = c.prepared(sql);
  s.bind(1, account_uid);
  s.bind(2, uid);
  return read_first_row(s, read_payment);
}

}  // namespace

PaymentStore::PaymentStore(Store& store) : store_(store) {
  store_.declare_table(
      "payments",
      "CREATE TABLE IF NOT EXISTS payments (seq INTEGER PRIMARY KEY AUTOINCREMENT, uid TEXT NOT "
      "NULL UNIQUE, account_uid TEXT NOT NULL, status TEXT NOT NULL, base_amount INTEGER, "
      "tax_amount INTEGER, fee_amount INTEGER, total_amount INTEGER, currency TEXT, reference_id "
      "TEXT, method_type TEXT, fingerprint TEXT, saved_method_uid TEXT, last4 TEXT, card_brand "
      "TEXT, exp_month INTEGER, exp_year INTEGER, holder_name TEXT, routing_number TEXT, "
      "account_number_suffix TEXT, account_type TEXT, bank_name TEXT, outcome TEXT, "
      "method_request TEXT, transaction_id TEXT, failure_code TEXT, refunded_amount INTEGER, "
      "created_at INTEGER, captured_at INTEGER, updated_at INTEGER, instrument_key TEXT)",
      true);
  store_.with([](Connection& c) {
    c.exec(
        "CREATE INDEX IF NOT EXISTS payments_by_reference ON payments (account_uid, "
        "reference_id)");
    c.exec(
        "CREATE INDEX IF NOT EXISTS payments_by_instrument ON payments (account_uid, "
        "instrument_key, captured_at)");
    // A list page in seq order reads only its own rows, not every row of the
    // account sorted first.
    c.exec("CREATE INDEX IF NOT EXISTS payments_by_account ON payments (account_uid, seq)");
  });
}

void PaymentStore::insert(const Payment& payment) {
  store_.with([&](Connection& c) {
    static const std::string sql = "INSERT INTO payments (" + kPaymentColumns + ") VALUES (" +
                                   placeholders_for(kPaymentColumns) + ")";
    auto& s = c.prepared(sql);
    bind_payment(s, payment);
    s.exec();
  });
}

std::optional<Payment> PaymentStore::find(const std::string& account_uid, const std::string& uid) {
  return store_.with([&](Connection& c) { return find_locked(c, account_uid, uid); });
}

std::vector<Payment> PaymentStore::list(const std::string& account_uid, const ListQuery& query) {
  static const std::string select =
      "SELECT " + kPaymentColumns + " FROM payments WHERE account_uid = ?";
  return list_page(store_, select, account_uid, query, read_payment);
}

Result<Payment> PaymentStore::transition(const std::string& account_uid, const std::string& uid,
                                         const Change& change) {
  return store_.transaction([&](Connection& c) -> Result<Payment> {
    auto current = find_locked(c, account_uid, uid);
    if (!current) return not_found("No payment '" + uid + "' in this payment account.");
    Result<Payment> next = change(*current);
    if (!next) return next;
    static const std::string sql = "UPDATE payments SET " + assignments_for(kPaymentColumns) +
                                   " WHERE uid=?1 AND account_uid=?2";
    auto& s = c.prepared(sql);
    bind_payment(s, *next);
    s.exec();
    return next;
  });
}

std::optional<Payment> PaymentStore::find_look_alike(const std::string& account_uid,
                                                     const std::string& key, std::int64_t amount,
                                                     Millis since) {
  return store_.with([&](Connection& c) -> std::optional<Payment> {
    static const std::string sql =
        "SELECT " + kPaymentColumns +
        " FROM payments WHERE account_uid = ? AND instrument_key = ? AND "
        "base_amount + tax_amount = ? AND captured_at > ? AND captured_at > 0 "
        "ORDER BY seq DESC LIMIT 1";
    auto& s = c.prepared(sql);
    s.bind(1, account_uid);
    s.bind(2, key);
    s.bind(3, static_cast<std::int64_t>(amount));
    s.bind(4, static_cast<std::int64_t>(since));
    return read_first_row(s, read_payment);
  });
}

}  // namespace paysandbox
