// Read-only allowlists of the container wrappers: `podman exec` / `docker exec`,
// `kubectl exec` and `oc rsh` run another command inside a container or pod, which is
// judged as a command of its own (recursively); `logs` and `ps` only read.
// Nothing that opens a terminal or a shell (-i, -t, --stdin, --tty), changes
// the container (--privileged, --env, --user root is fine: it is the same
// query), talks to another engine or cluster (--remote, --url, --host,
// --kubeconfig, --server, --token, --as) or never ends (-f/--follow).
#include <algorithm>
#include <cctype>

#include "engine/readonly_spec.hpp"

namespace migsleuth::classifiers::readonly {
namespace {

constexpr takes V = takes::value;

// A container or pod name as podman, docker and Kubernetes spell them.
bool is_object_name(std::string_view v) {
  if (has_gap(v)) return true;
  if (v.empty() || v.size() > 253 || std::isalnum(static_cast<unsigned char>(v[0])) == 0) {
    return false;
  }
  return std::all_of(v.begin(), v.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '.' || c == '-';
  });
}

bool is_user_name(std::string_view v) {
  return is_object_name(v) || (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  }));
}

// `podman exec [--user U] NAME CMD...`: options end at the container name.
constexpr option kEngineExec[] = {{'u', "user", V}};
// `podman logs [--since T] [--until T] [--tail N] [-t] NAME`: no -f/--follow.
constexpr option kEngineLogs[] = {{0, "since", V}, {0, "until", V}, {'n', "tail", V},
                                  {'t', "timestamps"}};
constexpr option kEnginePs[] = {{'a', "all"}, {'f', "filter", V}, {0, "format", V},
                                {0, "no-trunc"}, {'q', "quiet"}};

bool judge_engine(std::string_view tool, args_t args, const context& ctx, std::string& why) {
  const std::string t(tool);
  if (args.empty()) return refuse(why, t + " without a subcommand");
  const std::string& sub = args[0];
  if (!sub.empty() && sub[0] == '-') {
    return refuse(why, t + " global option '" + sub + "' is not on its read-only allowlist");
  }
  invocation inv;
  if (sub == "exec") {
    if (!parse_options(args.subspan(1), {t + " exec", syntax::gnu_leading, kEngineExec}, inv,
                       why)) {
      return false;
    }
    for (const auto& u : inv.values("user")) {
      if (!is_user_name(u)) return refuse(why, t + " exec --user '" + std::string(u) + "' is not a user name");
    }
    if (inv.operands.empty() || !is_object_name(inv.operands[0])) {
      return refuse(why, t + " exec needs a container name before the command");
    }
    if (inv.operands.size() < 2) return refuse(why, t + " exec without a command");
    std::string inner;
    if (judge(args_t(inv.operands).subspan(1), {ctx.depth + 1, ctx.gaps}, inner)) return true;
    return refuse(why, "in the container: " + inner);
  }
  if (sub == "logs") {
    if (!parse_options(args.subspan(1), {t + " logs", syntax::gnu, kEngineLogs}, inv, why)) {
      return false;
    }
    if (inv.operands.size() != 1 || !is_object_name(inv.operands[0])) {
      return refuse(why, t + " logs wants one container name");
    }
    return true;
  }
  if (sub == "ps") {
    if (!parse_options(args.subspan(1), {t + " ps", syntax::gnu, kEnginePs}, inv, why)) {
      return false;
    }
    return inv.operands.empty() || refuse(why, t + " ps takes no operand");
  }
  return refuse(why, t + " " + sub + " is not exec, logs or ps");
}

bool judge_podman(args_t args, const context& ctx, std::string& why) {
  return judge_engine("podman", args, ctx, why);
}
bool judge_docker(args_t args, const context& ctx, std::string& why) {
  return judge_engine("docker", args, ctx, why);
}

// kubectl reads its flags anywhere before `--` (pflag).
constexpr option kKubectl[] = {{'n', "namespace", V}, {'c', "container", V}, {0, "since", V},
                               {0, "tail", V},        {0, "timestamps"},     {'p', "previous"}};

bool judge_kubectl(args_t args, const context& ctx, std::string& why) {
  const auto dashes = std::find(args.begin(), args.end(), std::string("--"));
  const auto before = args.first(static_cast<std::size_t>(dashes - args.begin()));
  invocation inv;
  if (!parse_options(before, {"kubectl", syntax::gnu, kKubectl}, inv, why)) return false;
  for (const char* name : {"namespace", "container"}) {
    for (const auto& v : inv.values(name)) {
      if (!is_object_name(v)) return refuse(why, "kubectl --" + std::string(name) + " '" + std::string(v) + "' is not a name");
    }
  }
  if (inv.operands.size() != 2 || !is_object_name(inv.operands[1])) {
    return refuse(why, "kubectl wants 'exec POD -- COMMAND' or 'logs POD'");
  }
  const std::string& sub = inv.operands[0];
  if (sub == "logs") {
    if (dashes != args.end()) return refuse(why, "kubectl logs takes no command");
    return true;
  }
  if (sub != "exec") return refuse(why, "kubectl " + sub + " is not exec or logs");
  if (inv.has("since") || inv.has("tail") || inv.has("timestamps") || inv.has("previous")) {
    return refuse(why, "kubectl exec takes only --namespace and --container");
  }
  if (dashes == args.end() || dashes + 1 == args.end()) {
    return refuse(why, "kubectl exec needs '-- COMMAND'");
  }
  const auto command = args.subspan(static_cast<std::size_t>(dashes - args.begin()) + 1);
  std::string inner;
  if (judge(command, {ctx.depth + 1, ctx.gaps}, inner)) return true;
  return refuse(why, "in the pod: " + inner);
}

// OpenShift's client (RHOSO's control plane runs there):
// `oc rsh [-n NS] [-c CONTAINER] POD COMMAND...` runs COMMAND in the pod, as
// documented for RHOSO's openstackclient pod (`oc rsh -n openstack
// openstackclient openstack ...`); without a command it is a shell, refused.
// `oc logs [-n NS] [-c C] [--since T] [--tail N] [--timestamps] [-p] POD`.
constexpr option kOcRsh[] = {{'n', "namespace", V}, {'c', "container", V}};
constexpr option kOcLogs[] = {{'n', "namespace", V}, {'c', "container", V}, {0, "since", V},
                              {0, "tail", V},        {0, "timestamps"},     {'p', "previous"}};

bool judge_oc(args_t args, const context& ctx, std::string& why) {
  if (args.empty()) return refuse(why, "oc without a subcommand");
  const std::string& sub = args[0];
  if (sub != "rsh" && sub != "logs") return refuse(why, "oc " + sub + " is not rsh or logs");
  invocation inv;
  const bool rsh = sub == "rsh";
  if (!parse_options(args.subspan(1),
                     {rsh ? "oc rsh" : "oc logs", rsh ? syntax::gnu_leading : syntax::gnu,
                      rsh ? std::span<const option>(kOcRsh) : std::span<const option>(kOcLogs)},
                     inv, why)) {
    return false;
  }
  for (const char* name : {"namespace", "container"}) {
    for (const auto& v : inv.values(name)) {
      if (!is_object_name(v)) return refuse(why, "oc --" + std::string(name) + " '" + std::string(v) + "' is not a name");
    }
  }
  if (inv.operands.empty() || !is_object_name(inv.operands[0])) {
    return refuse(why, "oc " + sub + " wants a pod name");
  }
  if (!rsh) return inv.operands.size() == 1 || refuse(why, "oc logs wants one pod name");
  if (inv.operands.size() < 2) return refuse(why, "oc rsh without a command opens a shell");
  std::string inner;
  if (judge(args_t(inv.operands).subspan(1), {ctx.depth + 1, ctx.gaps}, inner)) return true;
  return refuse(why, "in the pod: " + inner);
}

constexpr tool_spec kContainer[] = {
    {"podman", {}, nullptr, judge_podman},
    {"docker", {}, nullptr, judge_docker},
    {"kubectl", {}, nullptr, judge_kubectl},
    {"oc", {}, nullptr, judge_oc},
};

}  // namespace

std::span<const tool_spec> container_tools() noexcept { return kContainer; }

}  // namespace migsleuth::classifiers::readonly
