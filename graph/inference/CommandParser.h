#pragma once

// Reads command lines for file moves between machines: cmd copy / xcopy / robocopy / move,
// PowerShell Copy-Item / Move-Item / Set-Content / Out-File / Add-Content, PsExec-style -c
// copies, scp / pscp / rsync / sftp, smbclient put / get, curl -T / --upload-file, curl and wget
// downloads, bitsadmin /transfer and certutil -urlcache pulls, ESXi `esxcli software vib install -d URL`. Only the
// syntax: which host, which file, which way; the rules decide what the host names mean.

#include <string>
#include <string_view>
#include <vector>

namespace tt::inference {

struct ParsedMove {
    enum class Kind { Share, Ssh, Http, Smbclient };
    Kind kind = Kind::Share;
    bool push = true; // true: local -> remote host; false: remote -> local
    std::string tool; // "copy", "robocopy", "Copy-Item", "scp", ...
    std::string host; // remote host as written (name, FQDN, IP, "tsclient")
    std::string share; // share name for UNC paths
    std::string remotePath; // inside the share / on the remote host (file included when known)
    std::string localPath; // the local end (file included when known)
    std::string fileName; // the file moved; empty when only a wildcard or folder is known
};

// PowerShell remoting copy: Copy-Item [-Path] P [-Destination] D -ToSession S / -FromSession S.
struct SessionCopy {
    bool push = true; // -ToSession: local -> the session's computer; -FromSession: the reverse
    std::string session; // "$s", or the computer of an inline (New-PSSession -ComputerName X)
    bool inlineComputer = false; // session names the computer itself
    std::string path, destination, fileName;
};

class CommandParser {
public:
    static std::vector<ParsedMove> parse(std::string_view commandLine);
    // Windows-style splitting: blanks separate, double quotes group (and are dropped).
    static std::vector<std::string> tokenize(std::string_view s);
    // A remote name fetched to this host (a BITS job's url): an http(s) / ftp URL or a UNC path,
    // as a pull; nothing when it names no host or no file.
    static std::vector<ParsedMove> parseRemoteName(std::string_view remote);
    // Copy-Item ... -ToSession / -FromSession statements of a script (4104 ScriptBlockText).
    static std::vector<SessionCopy> parseSessionCopies(std::string_view script);
    // The computer `$var = New-PSSession [-ComputerName] HOST` opened the session to ("" if none;
    // the last assignment in the script wins).
    static std::string sessionComputer(std::string_view script, std::string_view variable);
    // Cheap pre-filter: could this command line move a file between hosts at all?
    static bool mayMoveFiles(std::string_view commandLine);

private:
    static void parseCopy(
        const std::string &verb, const std::vector<std::string> &args, bool powershell, std::vector<ParsedMove> &out);
    static void parseRobocopy(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseWriteCmdlet(
        const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parsePsexec(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseScp(const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseSmbclient(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseSftp(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseWget(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseCurl(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseUrlPull(
        const std::string &verb, const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void parseEsxcli(const std::vector<std::string> &args, std::vector<ParsedMove> &out);
    static void addUrlPull(
        const std::string &tool, const std::string &url, const std::string &local, std::vector<ParsedMove> &out);
    static void addPair(const std::string &tool, const std::string &from, const std::string &to,
        const std::string &explicitFile, std::vector<ParsedMove> &out);
};

} // namespace tt::inference
