// Kubernetes container logs: what a node keeps of a pod's stdout and stderr,
// each line of the program wrapped by the container runtime.
//
//   CRI (containerd, CRI-O)   /var/log/pods/NS_POD_UID/CONTAINER/0.log
//       2024-05-21T22:00:01.123456789Z stdout F <the program's line>
//       (P instead of F: a part of a longer line that the next record continues)
//   docker json-file          {"log":"<line>\n","stream":"stderr","time":"2024-...Z"}
//       (a "log" without the final \n: a part, as above)
//   kubectl logs --timestamps 2024-05-21T22:00:01.123456789Z <the program's line>
//
// Each record's own line goes to the parser of the kind those lines are (nova
// oslo.log, libvirtd, QEMU), split parts joined first. Evidence cites the
// record as it is in the file; a line split into parts is shown whole, as the
// program wrote it, at its first part's line (the rules see all of it). The
// runtime's stamp is exact: a line with no zone of its own (oslo.log text,
// local time) is dated with the zone it shows, and a line with no stamp at
// all takes it. Detection goes by content, never by folder: TripleO's
// var/log/containers/nova/ holds plain oslo.log files.
//
//   if (auto f = pod_log_format_of(head); f != pod_log_format::none) ...
//   auto p = wrap_pod_log(make_parser(kind, ...), f, max_line);
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "detect.hpp"
#include "parser_seam.hpp"

namespace migsleuth::ingest {

enum class pod_log_format : std::uint8_t { none, cri, docker_json, kubectl_timestamps };

// The format of the first non-blank lines of `head`, or none. The
// kubectl --timestamps form counts only when the line after the stamp is
// an oslo.log or libvirtd line (a QEMU log line also starts with a zoned stamp).
[[nodiscard]] pod_log_format pod_log_format_of(std::string_view head);

// For kind_reason: "CRI container log (containerd, CRI-O)", ...
[[nodiscard]] std::string_view describe(pod_log_format f) noexcept;

// The program's lines of the complete records of `head` (for kind detection).
[[nodiscard]] std::string pod_log_head_as_text(std::string_view head, pod_log_format f);

// The container a Kubernetes log path names ("nova-compute", "libvirt"), or
// "": var/log/pods/NS_POD_UID/CONTAINER/N.log[.DATE[.gz]] and
// var/log/containers/POD_NS_CONTAINER-ID.log.
[[nodiscard]] std::string pod_log_container(std::string_view path);

// The kind of a container log whose program lines are `lines`: the content
// decides; the container's name helps as a file name would ("nova-compute",
// "libvirt": its pod log mixes the start script's trace with libvirtd's lines).
[[nodiscard]] detection detect_pod_log_kind(std::string_view path, std::string_view lines,
                                            pod_log_format f);

// A parser that unwraps each record of format `f` and feeds the program's
// line to `inner` under the record's line number. A line that is no record
// is counted as not understood. Joined parts are kept to `max_line` bytes.
[[nodiscard]] std::unique_ptr<line_parser> wrap_pod_log(std::unique_ptr<line_parser> inner,
                                                        pod_log_format f, std::uint64_t max_line);

}  // namespace migsleuth::ingest
