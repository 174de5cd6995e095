#include "workorder/search_text.hpp"

namespace hotline::workorder {

std::string Bigrams(std::string_view text) {
  std::string out;
  ForEachGram(text, [&out](const Gram& g) {
    if (!out.empty()) out += g.run_start ? '\n' : ' ';
    out += g.text;
  });
  return out;
}

std::optional<TextQuery> ParseTextQuery(std::string_view query) {
  TextQuery q;
  bool one_char = false;
  ForEachGram(query, [&](const Gram& g) {
    if (g.run_start) q.phrases.emplace_back();
    q.phrases.back().emplace_back(g.text);
    q.plain = q.plain && g.plain;
    one_char = one_char || g.one_char;
  });
  if (q.phrases.empty() || one_char) return std::nullopt;
  return q;
}

std::string MatchExpression(const TextQuery& q, const std::vector<std::vector<bool>>* keep) {
  std::string out;
  for (size_t p = 0; p < q.phrases.size(); ++p) {
    bool open = false;  // inside a quoted phrase
    for (size_t g = 0; g < q.phrases[p].size(); ++g) {
      if (keep && !(*keep)[p][g]) {
        if (open) out += '"';
        open = false;
        continue;
      }
      if (!open) {
        if (!out.empty()) out += " AND ";
        // Grams hold no quotes (separators), so a quoted phrase needs no escaping.
        out += '"';
        open = true;
      } else {
        out += ' ';
      }
      out += q.phrases[p][g];
    }
    if (open) out += '"';
  }
  return out;
}

std::optional<std::string> BigramQuery(std::string_view query) {
  auto q = ParseTextQuery(query);
  if (!q) return std::nullopt;
  return MatchExpression(*q);
}

}  // namespace hotline::workorder
