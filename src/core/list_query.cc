#include "core/list_query.h"

#include <algorithm>
#include <cctype>

namespace paysandbox {
namespace {

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '/';
}

class FilterLexer {
 public:
  explicit FilterLexer(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0)
      ++pos_;
  }
  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }
  std::string identifier() {
    skip_space();
    size_t start = pos_;
    while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  // A single-quoted string with '' as an escaped quote; nullopt when the next
  // token is not a complete string.
  std::optional<std::string> quoted() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '\'') return std::nullopt;
    ++pos_;
    std::string out;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\'') {
        if (pos_ < text_.size() && text_[pos_] == '\'') {
          out.push_back('\'');
          ++pos_;
        } else {
          return out;
        }
      } else {
        out.push_back(c);
      }
    }
    return std::nullopt;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

Error filter_error(std::string message) { return validation_error("$filter", std::move(message)); }

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::optional<std::int64_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

Result<std::vector<ListQuery::Term>> parse_odata_filter(
    std::string_view text, const std::vector<std::string>& filterable) {
  std::vector<ListQuery::Term> terms;
  FilterLexer lexer(text);
  if (lexer.at_end()) return filter_error("$filter is empty; expected `field eq 'value'`.");
  while (true) {
    std::string field = lexer.identifier();
    if (field.empty())
      return filter_error("$filter must be `field eq 'value'` terms joined by `and`.");
    if (std::find(filterable.begin(), filterable.end(), field) == filterable.end()) {
      return filter_error("$filter on '" + field + "' is not supported; this list filters by: " +
                          (filterable.empty() ? std::string("nothing") : join(filterable)) + ".");
    }
    std::string op = lexer.identifier();
    if (op != "eq")
      return filter_error("$filter supports only the `eq` operator; got '" + op + "' after '" +
                          field + "'.");
    auto value = lexer.quoted();
    if (!value)
      return filter_error(
          "$filter value for '" + field +
          "' must be a single-quoted string (double a quote inside it: 'O''Brien').");
    terms.push_back({field, *value});
    if (lexer.at_end()) break;
    std::string joiner = lexer.identifier();
    if (joiner != "and")
      return filter_error("$filter terms must be joined by `and`; got '" + joiner + "'.");
  }
  return terms;
}

Result<ListQuery> parse_list_query(const std::vector<std::pair<std::string, std::string>>& params,
                                   const std::vector<std::string>& filterable) {
  ListQuery query;
  for (const auto& [name, value] : params) {
    if (name.empty() || name[0] != '$') continue;
    if (name == "$filter") {
      auto terms = parse_odata_filter(value, filterable);
      if (!terms) return terms.error();
      for (auto& term : *terms) query.filters.push_back(std::move(term));
    } else if (name == "$top") {
      auto count = parse_count(value);
      if (!count || *count < 1 || *count > kMaxTop)
        return validation_error("$top",
                                "$top must be an integer from 1 to 1000; got '" + value + "'.");
      query.top = *count;
    } else if (name == "$skip") {
      auto count = parse_count(value);
      if (!count)
        return validation_error("$skip",
                                "$skip must be a non-negative integer; got '" + value + "'.");
      query.skip = *count;
    } else if (name == "$orderby") {
      FilterLexer lexer(value);
      std::string field = lexer.identifier();
      std::string direction = lexer.identifier();
      if (field != "created_at" || !lexer.at_end() ||
          !(direction.empty() || direction == "asc" || direction == "desc"))
        return validation_error("$orderby",
                                "$orderby supports only `created_at asc` or "
                                "`created_at desc`; got '" +
                                    value + "'.");
      query.descending = direction == "desc";
    } else {
      return validation_error(name, "Unsupported query option '" + name +
                                        "'; supported: $filter, $top, $skip, $orderby.");
    }
  }
  return query;
}

}  // namespace paysandbox
