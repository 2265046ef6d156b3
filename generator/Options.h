#pragma once

#include <QString>

#include <cstdint>
#include <cstdio>

namespace tt::gen {

// What to generate. Same options -> byte-identical output.
struct Options {
    // Windows hosts: every name and address space in Topology is sized for this many.
    static constexpr int kMaxHosts = 10000;
    int hosts = 12; // 2..kMaxHosts
    int days = 1; // recording span, starting Monday 00:00 in the main office zone
    int64_t events = 20000; // total events written (background fills up to this)
    uint64_t seed = 1;
    QString outDir; // created when missing
    enum class Format { JsonLines, EventXml } format = Format::JsonLines;
    int attackerHops = 4; // lateral transfers by the attacker (capped at hosts - 1)
    int linuxHosts = 3; // Linux servers beside the Windows hosts (audit.log + auth.log each), 0..200;
                        // the attacker reaches min(linuxHosts, max(1, attackerHops / 2)) of them over SSH
    bool sensor = true; // a Zeek sensor (zeek/conn, smb_files, files, kerberos, dns) sees the flows
    bool zeekJson = false; // its logs as JSON lines instead of TSV
    // Set: the Windows hosts' JSON lines go to this stream one host after another, and nothing
    // is written to outDir (no Linux hosts, no sensor, no ground truth: generate() clears them).
    std::FILE *stream = nullptr;
    // Benign deployment-tool pushes (SCCM client push, PDQ Deploy, Ansible) and a file synced through
    // OneDrive between two workstations (DeploymentActivity); off by default so that the demo and
    // the existing generated cases stay byte-identical.
    bool deployment = false;
    // Remote-procedure transfers the attack chain does not make (RemotingActivity: PowerShell
    // remoting copies, method winrm); off by default for the same reason.
    bool procedures = false;
    // ESXi hosts and Macs beside the domain (PlatformActivity): scp / hostd / wget into ESXi,
    // scp / curl into Macs; their logs under esxi/ and macos/ (the Macs' name no host: import each
    // with --host, Summary::hostFiles). Off by default for the same reason.
    bool platforms = false;
    // Enterprise identity problems (gen --enterprise): workstations cloned from three images
    // (shared machine SID, one local admin name "itlocal" the attacker uses for the workstation
    // hops, pass-the-hash over C$ / WMI), DHCP churn with days > 1 (half of the office
    // workstations take another one's address every day); ground truth lists the leases and
    // images. Also (EnterpriseActivity) a VPN pool, jump servers and a deployment server's fan.
    // Off by default: the other generated cases stay byte-identical.
    bool enterprise = false;
};

} // namespace tt::gen
