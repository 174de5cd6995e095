#include "xml_writer.hpp"

#include "hotline/core/json.hpp"

namespace hotline::ivr::internal {

std::string XmlEscape(std::string_view text) {
  // Invalid UTF-8 would make the whole document unreadable: keep only its ASCII then.
  bool utf8 = core::IsValidUtf8(text);
  std::string out;
  out.reserve(text.size() + 16);
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 0x80 && !utf8) continue;
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 allows no control characters but tab, newline and carriage return.
        if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') {
          out += ' ';
        } else {
          out += ch;
        }
    }
  }
  return out;
}

XmlWriter::XmlWriter() { out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"; }

void XmlWriter::Indent() {
  if (!open_.empty()) {
    open_.back().has_children = true;
    if (open_.back().inline_content) return;
  }
  out_ += '\n';
  out_.append(open_.size() * 2, ' ');
}

void XmlWriter::StartTag(std::string_view tag, Attrs attrs) {
  Indent();
  out_ += '<';
  out_ += tag;
  for (const auto& [name, value] : attrs) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    out_ += XmlEscape(value);
    out_ += '"';
  }
}

XmlWriter& XmlWriter::Open(std::string_view tag, Attrs attrs) {
  StartTag(tag, attrs);
  out_ += '>';
  open_.push_back({std::string(tag)});
  return *this;
}

XmlWriter& XmlWriter::Leaf(std::string_view tag, Attrs attrs) {
  StartTag(tag, attrs);
  out_ += "/>";
  return *this;
}

XmlWriter& XmlWriter::Element(std::string_view tag, std::string_view text, Attrs attrs) {
  Open(tag, attrs);
  Text(text);
  return Close();
}

XmlWriter& XmlWriter::Text(std::string_view text) {
  if (!open_.empty()) open_.back().inline_content = true;
  out_ += XmlEscape(text);
  return *this;
}

XmlWriter& XmlWriter::Close() {
  if (open_.empty()) return *this;
  OpenElement e = std::move(open_.back());
  open_.pop_back();
  if (e.has_children && !e.inline_content) {
    out_ += '\n';
    out_.append(open_.size() * 2, ' ');
  }
  out_ += "</";
  out_ += e.tag;
  out_ += '>';
  return *this;
}

std::string XmlWriter::Finish() {
  while (!open_.empty()) Close();
  out_ += '\n';
  return std::move(out_);
}

}  // namespace hotline::ivr::internal
