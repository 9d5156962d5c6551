#include "migsleuth/parsers/parse.hpp"

#include "parser_factory.hpp"

namespace migsleuth::parsers {

std::unique_ptr<line_parser> make_parser(input_kind kind, std::shared_ptr<const shape_set> shapes,
                                         line_context ctx) {
  switch (kind) {
    case input_kind::nova_compute:
      return make_nova_log_parser(std::move(shapes), std::move(ctx));
    case input_kind::qemu_domain:
      return make_qemu_domain_parser(std::move(shapes), std::move(ctx));
    case input_kind::libvirtd:
      return make_libvirtd_parser(std::move(shapes), std::move(ctx));
    case input_kind::domjobinfo:
      return make_domjobinfo_parser(std::move(ctx));
    case input_kind::virsh_list:
      return make_virsh_list_parser(std::move(ctx));
    case input_kind::server_show:
    case input_kind::migration_list:
    case input_kind::cpu_info:
    case input_kind::port_show:
      return make_openstack_json_parser(kind, std::move(ctx));
    case input_kind::unrecognized:
      if (ctx.fragment_filter != nullptr && *ctx.fragment_filter) {
        return make_fragment_parser(std::move(ctx));
      }
      return make_counting_parser();
    default:
      return make_counting_parser();
  }
}

parse_result parse_text(input_kind kind, std::string_view text,
                        std::shared_ptr<const shape_set> shapes, const line_context& ctx) {
  auto parser = make_parser(kind, std::move(shapes), ctx);
  std::uint32_t line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    parser->feed_line(text.substr(0, nl), ++line_no);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return parser->finish();
}

}  // namespace migsleuth::parsers
