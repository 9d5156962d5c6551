#include "report_output.hpp"

#include "output_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>

namespace migsleuth::app {
namespace {

struct format_info {
  std::string_view name, extension;
};
constexpr std::array<format_info, 4> kFormats{{
    {"text", ".txt"}, {"json", ".json"}, {"markdown", ".md"}, {"html", ".html"}}};

std::string_view extension_of(std::string_view format) {
  for (const auto& f : kFormats) {
    if (f.name == format) return f.extension;
  }
  return "";
}

std::string render(const std::string& format, const report::report_data& r, bool color) {
  if (format == "markdown") return report::write_markdown(r);
  if (format == "html") return report::write_html(r);
  return report::write_text(r, color ? report::color_mode::always : report::color_mode::never);
}

// The report in `format` to `out`. JSON goes out as it is made: its inputs[]
// lists every file read, and a run over a million files must not hold that
// list twice (as events' inputs and as one string).
void render_to(std::ostream& out, const std::string& format, const report::report_data& r,
               bool color) {
  if (format == "json") {
    report::write_json(r, [&out](std::string_view piece) {
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    });
    return;
  }
  const std::string body = render(format, r, color);
  out.write(body.data(), static_cast<std::streamsize>(body.size()));
}

}  // namespace

bool parse_formats(const std::string& spec, std::vector<std::string>& out, std::string& error) {
  out.clear();
  std::size_t start = 0;
  while (start <= spec.size()) {
    const std::size_t comma = std::min(spec.find(',', start), spec.size());
    std::string name = spec.substr(start, comma - start);
    if (name == "auto") name = "text";
    if (name == "md") name = "markdown";
    if (extension_of(name).empty()) {
      error = fmt::format("--format '{}': unknown format '{}' (text, json, markdown, html; "
                          "comma-separated for several)",
                          spec, name);
      return false;
    }
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(std::move(name));
    start = comma + 1;
  }
  return true;
}

void settle_output(analyze_options& opt) {
  if (opt.output == "-") opt.output.clear();
  if (opt.format != "auto" || opt.output.empty()) return;
  for (const auto& f : kFormats) {
    if (opt.output.size() > f.extension.size() && opt.output.ends_with(f.extension)) {
      opt.format = std::string(f.name);
      return;
    }
  }
  if (opt.output.ends_with(".markdown")) opt.format = "markdown";
}

std::string output_path(const std::string& base, const std::string& format, bool several) {
  if (!several) return base;
  std::string stem = base;
  // `-o report.html --format json,html` means the base "report", not "report.html.json".
  for (const auto& f : kFormats) {
    if (stem.size() > f.extension.size() && stem.ends_with(f.extension)) {
      stem.resize(stem.size() - f.extension.size());
      break;
    }
  }
  return stem + std::string(extension_of(format));
}

int write_reports(const analyze_options& opt, const report::report_data& r) {
  std::vector<std::string> formats;
  std::string error;
  if (!parse_formats(opt.format, formats, error)) {
    fmt::print(stderr, "error: {}\n", error);
    return kExitUsage;
  }
  const bool several = formats.size() > 1;
  if (several && opt.output.empty()) {
    fmt::print(stderr, "error: several formats need -o BASE (each goes to BASE.<ext>)\n");
    return kExitUsage;
  }
  const bool to_tty = opt.output.empty() && ::isatty(STDOUT_FILENO) != 0;
  const bool no_color = std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0';
  const bool color = opt.color == "always" || (opt.color == "auto" && to_tty && !no_color);
  if (opt.output.empty()) {
    std::string ignored;
    const auto out = output_file::open("-", ignored);
    render_to(out->stream(), formats.front(), r, color);
    return out->commit() ? kExitOk : report_write_failure(*out);
  }
  // Every format is written to its temporary first and renamed only after
  // (output_file): a failure leaves no partial file and no earlier one replaced.
  std::vector<std::unique_ptr<output_file>> files;
  for (const auto& format : formats) {
    auto file = output_file::open(output_path(opt.output, format, several), error);
    if (!file) {
      fmt::print(stderr, "error: {}\n", error);
      return kExitWriteFailed;
    }
    render_to(file->stream(), format, r, color);
    if (file->error_number() != 0) return report_write_failure(*file);
    files.push_back(std::move(file));
  }
  for (const auto& file : files) {
    if (!file->commit()) return report_write_failure(*file);
  }
  return kExitOk;
}

void print_explain(const report::report_data& r, const classifiers::rule_book& book) {
  std::vector<std::vector<classifiers::rule_trace>> traces;
  std::vector<std::vector<classifiers::line_decoding>> decoded;
  traces.reserve(r.incidents.size());
  for (const auto& inc : r.incidents) {
    traces.push_back(book.explain(inc, r.inputs));
    decoded.push_back(book.decode_lines(inc));
  }
  const std::string text = report::write_explain(r, traces, decoded);
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace migsleuth::app
