#pragma once

#include <string>
#include <string_view>

namespace tt::hayabusa {

// Full channel name for one of Hayabusa's channel abbreviations (config/channel_abbreviations.txt,
// e.g. "Sec" -> "Security", "Sysmon" -> "Microsoft-Windows-Sysmon/Operational"); empty when the
// short name is not one of them or is ambiguous (AppLocker).
std::string_view channelFromAbbreviation(std::string_view shortName);

// EventData name for a Details key of an event (Hayabusa's default_details.txt, current and
// earlier spellings, e.g. Security 4624 "SrcIP" -> "IpAddress", Sysmon 1 "Cmdline" ->
// "CommandLine"); empty when the key is not known for that channel and event id.
std::string_view fieldFromDetailsKey(std::string_view channel, int eventId, std::string_view key);

// Undoes Hayabusa's value rewriting (config/data_mapping) where it is one-to-one: "3 - NETWORK"
// -> "3" (LogonType), "WRITE_DATA" -> "%%4417" (AccessList of 5140 / 5145), "YES" / "NO" ->
// "%%1842" / "%%1843" (4624 ElevatedToken, VirtualAccount, RestrictedAdminMode), 4688
// MandatoryLabel and TokenElevationType. Returns false (out untouched) when nothing applies.
bool originalValue(
    std::string_view channel, int eventId, std::string_view field, std::string_view value, std::string &out);

} // namespace tt::hayabusa
