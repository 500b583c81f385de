// apply_override: one `--set PATH=VALUE` applied to a protobuf message by
// reflection (ScenarioLoader::set validates the spec afterwards).
//
// PATH names fields from the root, dot-separated; a repeated field takes an
// index, `fault[2]`, where the index one past the end appends an element.
// VALUE is, by what PATH names:
//   a singular scalar or enum, or a repeated one's element: its text
//     (`3`, `true`, `0.25`, `diskless` or `DISKLESS`, `zone-a`);
//   a message (singular, or a repeated one's element): a text-format message
//     in braces, `{kind: "ingester_kill" at_ms: 1000}`, which replaces it;
//   a whole repeated field: a text-format list, `[]` (empty: clears it),
//     `["zone-a", "zone-b"]`, `[{kind: "broker_crash"}, {...}]`.
// Errors name the path: "--set log.partitions: 'many' is not a int32".
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace google::protobuf {
class Message;
}  // namespace google::protobuf

namespace weir::scenarios {

std::optional<std::string> apply_override(google::protobuf::Message& root, std::string_view assignment);

}  // namespace weir::scenarios
