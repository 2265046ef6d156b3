#pragma once

#include <QString>

#include <cstdint>

// A case with a known multi-hop tool spread, for the spread query, CLI and view tests. Hosts come
// from imported events (WS1, WS2, SRV1, SRV2); transfers, processes and accounts are inserted
// with SQL as inference would write them. T0 = 2024-03-18 14:00:00 UTC; seconds after T0:
//   WS1 runs C:\Tools\tool.exe (SHA256 = kHash) at -60: the origin ran it
//   t1  10  WS1 -> WS2   tool.exe  smb-admin-share        CORP\alice, C:\Tools\PsExec.exe   SHA256=H
//   t2 100  WS2 -> SRV1  tool.exe  psexec-service-binary  CORP\bob, cmd.exe; executed on SRV1 at 105
//   t3 200  WS1 -> SRV2  svc.exe   smb-admin-share        renamed copy: MD5=M,SHA256=H
//   t4 300  SRV1 -> WS2  tool.exe  smb-share              a second copy to a host that had it
//   t5 400  WS1 -> SRV2  tool.exe  smb-share              another file of that name (other hash)
//   t6 450  ? (10.9.9.9) -> SRV1  notes.txt                no hash anywhere: matched by name
//   t7 500  WS1 -> WS2   tool.exe  smb-share              no hash: joins the spread by its name
//   t8 600  SRV2 -> SRV1 notes.txt
//   t9 700  WS1 -> WS2   kHostileName                     quotes, newline, ESC, <>, %1
namespace spreadcase {

inline constexpr int64_t kT0 = int64_t(1710770400) * 1000000;
inline constexpr int64_t kSec = 1000000;
inline constexpr char kHash[] = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
inline constexpr char kMd5[] = "098F6BCD4621D373CADE4E832627B4F6";
inline constexpr char kOtherHash[] = "60303AE22B998861BCE3B28F33EEC1BE758A213C86C93C076DBE9F558C11C752";
inline constexpr char kHostileName[] = "ev\"il'\n\x1b[31m<b>%1.exe";

struct Ids {
    int64_t ws1 = 0, ws2 = 0, srv1 = 0, srv2 = 0;
    int64_t t[10] = {}; // t[1]..t[9]
};

// Builds the case at casePath (inputs written beside it); empty on success, else what went wrong.
QString build(const QString &casePath, Ids *ids);

} // namespace spreadcase
