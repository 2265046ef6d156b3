// Linux parsers: raw audit logs (records grouped by serial, interleaved events, EXECVE hex and
// split arguments, PROCTITLE with NULs, user-space msg='...' records, garbage lines rejected with
// their line numbers), syslog (RFC 3164 across New Year with the year from the file time, RFC 5424
// with fractional seconds and zone, RFC 3339, PRI), journald JSON (MESSAGE as a byte array) and
// content detection.

#include "TestSupport.h"

#include "core/FileSource.h"
#include "core/FormatDetector.h"
#include "core/TimeUtil.h"
#include "linux/AuditParser.h"
#include "linux/SshdMessage.h"
#include "linux/SyslogAuthParser.h"

#include <QTest>

using namespace tt;
using namespace tt::test;

namespace {
std::string iso(int64_t us)
{
    return timeutil::formatIsoUtc(us);
}

int64_t utc(int y, unsigned m, unsigned d, int hh, int mi, int ss)
{
    return ((timeutil::daysFromCivil(y, m, d) * 86400) + hh * 3600 + mi * 60 + ss) * 1000000LL;
}

const RawEvent *byRecord(const CollectingSink &s, int64_t serial)
{
    for (const RawEvent &e : s.events)
        if (e.recordId == serial)
            return &e;
    return nullptr;
}

bool hasReject(const CollectingSink &s, int64_t line)
{
    for (const Reject &r : s.rejects)
        if (r.position == line)
            return true;
    return false;
}

template<typename P> bool parseText(P &p, const std::string &text, CollectingSink &sink)
{
    MemorySource src(text);
    return p.parse(src, sink);
}
} // namespace

class TstLinuxParsers : public QObject {
    Q_OBJECT
private slots:
    // An audit serial past INT64_MAX cannot group its event: the record is rejected with the line
    // and the stamp's rule (never signed overflow); its neighbours are kept.
    void auditSerialOutOfRange()
    {
        AuditParser p;
        CollectingSink sink;
        const std::string text = "type=SYSCALL msg=audit(1364481363.243:9999999999999999999): syscall=2 pid=1\n"
                                 "type=SYSCALL msg=audit(1364481363.243:9223372036854775807): syscall=2 pid=2\n";
        QVERIFY(parseText(p, text, sink));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(1));
        QVERIFY(sink.rejects[0].reason.find("serial from 0 to 9223372036854775807") != std::string::npos);
        QCOMPARE(sink.events.size(), size_t(1));
        QCOMPARE(sink.events[0].recordId, std::numeric_limits<int64_t>::max());
    }

    void auditGroupsInterleavedRecords()
    {
        AuditParser p;
        ParseContext ctx;
        ctx.defaultHost = "lab-host";
        p.setContext(ctx);
        CollectingSink sink;
        QVERIFY(parseText(p, readFixture("linux/audit-edge.log"), sink));
        // 101, 102 (interleaved), 103, 104, 105: five events; two bad lines rejected with their numbers.
        QCOMPARE(sink.events.size(), size_t(5));
        QCOMPARE(sink.rejects.size(), size_t(2));
        QVERIFY(hasReject(sink, 8));
        QVERIFY(hasReject(sink, 14));

        const RawEvent *e = byRecord(sink, 101);
        QVERIFY(e);
        QCOMPARE(e->channel, std::string("linux:audit"));
        QCOMPARE(e->eventId, 1300);
        QCOMPARE(e->computer, std::string("lab-host")); // no node=: the --host given
        QCOMPARE(e->position, int64_t(1));
        QCOMPARE(iso(e->timeUs), std::string("2026-03-04T10:00:00.125000Z"));
        QCOMPARE(e->timeSource, TimeSource::SystemTimeUtc);
        QCOMPARE(sys(*e, "Records"), std::string("SYSCALL,EXECVE,CWD,PROCTITLE"));
        QCOMPARE(fld(*e, "SYSCALL.pid"), std::string("901"));
        QCOMPARE(fld(*e, "SYSCALL.exe"), std::string("/usr/bin/rsync"));
        // Hex-encoded argument (it holds a blank) and a3 split into a3[0] + a3[1] of a3_len bytes.
        QCOMPARE(fld(*e, "EXECVE.argc"), std::string("5"));
        QCOMPARE(fld(*e, "EXECVE.a2"), std::string("/srv/my files/dump.tar.gz"));
        QCOMPARE(fld(*e, "EXECVE.a3"), "--exclude=" + std::string(40, 'x'));
        QCOMPARE(fld(*e, "EXECVE.a3[0]"), std::string("<absent>"));
        QCOMPARE(fld(*e, "cmdline"),
            "rsync -az \"/srv/my files/dump.tar.gz\" --exclude=" + std::string(40, 'x') + " db01:/backup/");
        QCOMPARE(fld(*e, "CWD.cwd"), std::string("/home/alice/my dir"));
        QCOMPARE(fld(*e, "PROCTITLE.proctitle"), std::string("rsync -az /srv/my files/dump.tar.gz"));

        const RawEvent *cron = byRecord(sink, 102);
        QVERIFY(cron);
        QCOMPARE(fld(*cron, "cmdline"), std::string("/usr/sbin/cron -f"));
        QCOMPARE(fld(*cron, "auid_name"), std::string("<absent>")); // auid unset

        // PROCTITLE only (NULs between arguments, a trailing NUL) and the connect() address.
        const RawEvent *net = byRecord(sink, 103);
        QVERIFY(net);
        QCOMPARE(fld(*net, "cmdline"), std::string("ssh -x db01 rsync --server"));
        QCOMPARE(fld(*net, "SOCKADDR.addr"), std::string("10.20.0.12"));
        QCOMPARE(fld(*net, "SOCKADDR.port"), std::string("22"));

        // User-space record: msg='...' flattened, quoted acct kept, auid 1000 learned as alice.
        const RawEvent *start = byRecord(sink, 104);
        QVERIFY(start);
        QCOMPARE(start->eventId, 1105);
        QCOMPARE(fld(*start, "USER_START.acct"), std::string("alice"));
        QCOMPARE(fld(*start, "USER_START.addr"), std::string("10.20.0.11"));
        QCOMPARE(fld(*start, "USER_START.res"), std::string("success"));
        const RawEvent *scp = byRecord(sink, 105);
        QVERIFY(scp);
        QCOMPARE(fld(*scp, "auid_name"), std::string("alice"));
        // a1 missing: the event is kept, the gap reported.
        QCOMPARE(fld(*scp, "cmdline"), std::string("scp \"\" db01:/tmp/"));
        bool warned = false;
        for (const Reject &w : sink.warnings)
            warned = warned || (w.position == 16 && w.reason.find("a1 missing") != std::string::npos);
        QVERIFY(warned);
    }

    void auditNodeNamesTheHostAndUnreadableInputFails()
    {
        AuditParser p;
        CollectingSink sink;
        QVERIFY(parseText(p,
            "node=srv7 type=USER_LOGIN msg=audit(1700000000.5:9): pid=1 uid=0 auid=0 ses=2 "
            "msg='op=login id=0 exe=\"/usr/sbin/sshd\" hostname=? addr=192.0.2.9 terminal=ssh res=success'\n",
            sink));
        QCOMPARE(sink.events.size(), size_t(1));
        QCOMPARE(sink.events[0].computer, std::string("srv7"));
        QCOMPARE(sink.events[0].eventId, 1112);
        QCOMPARE(fld(sink.events[0], "USER_LOGIN.addr"), std::string("192.0.2.9"));
        QCOMPARE(iso(sink.events[0].timeUs), std::string("2023-11-14T22:13:20.500000Z"));
        CollectingSink bad;
        QVERIFY(!parseText(p, "hello\nworld\n", bad));
        QCOMPARE(bad.events.size(), size_t(0));
        QVERIFY(hasReject(bad, 1) && hasReject(bad, 2) && hasReject(bad, 0));
    }

    void syslogAcrossNewYear()
    {
        // auth.log rotated on 3 Jan 2027: December lines are 2026, January lines 2027.
        const std::string text
            = "Dec 31 23:59:58 gw sshd[411]: Accepted password for bob from 198.51.100.20 port 40022 ssh2\n"
              "Jan  1 00:00:03 gw sshd[411]: pam_unix(sshd:session): session closed for user bob\n"
              "garbage without a stamp\n"
              "<38>Jan  2 08:15:00 gw sshd[500]: Failed publickey for invalid user admin from 203.0.113.4 port 5555 "
              "ssh2\n"
              "Jan 02 08:15:01 gw CRON[501]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)\n";
        SyslogAuthParser p;
        ParseContext ctx;
        ctx.mtime = utc(2027, 1, 3, 6, 25, 0) / 1000000;
        p.setContext(ctx);
        CollectingSink sink;
        QVERIFY(parseText(p, text, sink));
        QCOMPARE(sink.events.size(), size_t(4));
        QCOMPARE(sink.rejects.size(), size_t(1));
        QCOMPARE(sink.rejects[0].position, int64_t(3));
        QCOMPARE(iso(sink.events[0].timeUs), std::string("2026-12-31T23:59:58.000000Z"));
        QCOMPARE(iso(sink.events[1].timeUs), std::string("2027-01-01T00:00:03.000000Z"));
        QCOMPARE(iso(sink.events[2].timeUs), std::string("2027-01-02T08:15:00.000000Z"));
        QCOMPARE(sink.events[0].timeSource, TimeSource::AssumedUtc);
        QVERIFY(!sink.warnings.empty()); // no year, no zone: said once
        QCOMPARE(sink.events[0].computer, std::string("gw"));
        QCOMPARE(sink.events[0].channel, std::string("linux:sshd"));
        QCOMPARE(sink.events[0].eventId, int(sshd::kAccepted));
        QCOMPARE(fld(sink.events[0], "user"), std::string("bob"));
        QCOMPARE(fld(sink.events[0], "ip"), std::string("198.51.100.20"));
        QCOMPARE(fld(sink.events[0], "port"), std::string("40022"));
        QCOMPARE(fld(sink.events[0], "method"), std::string("password"));
        QCOMPARE(fld(sink.events[0], "pid"), std::string("411"));
        QCOMPARE(sink.events[1].eventId, int(sshd::kPamSessionClose));
        QCOMPARE(sink.events[2].eventId, int(sshd::kFailed));
        QCOMPARE(fld(sink.events[2], "invalid_user"), std::string("1"));
        QCOMPARE(fld(sink.events[2], "user"), std::string("admin"));
        QCOMPARE(sys(sink.events[2], "Facility"), std::string("4"));
        QCOMPARE(sys(sink.events[2], "Severity"), std::string("6"));
        QCOMPARE(sink.events[3].channel, std::string("linux:syslog"));
        QCOMPARE(sink.events[3].provider, std::string("CRON"));

        // The same December line in a file last written in November: the year before.
        SyslogAuthParser late;
        ctx.mtime = utc(2027, 11, 20, 0, 0, 0) / 1000000;
        late.setContext(ctx);
        CollectingSink s2;
        QVERIFY(parseText(late, "Dec 31 23:59:58 gw sshd[411]: Connection closed by 198.51.100.20 port 40022\n", s2));
        QCOMPARE(iso(s2.events[0].timeUs), std::string("2026-12-31T23:59:58.000000Z"));
    }

    void syslogRfc5424AndRfc3339()
    {
        const std::string text
            = "<86>1 2026-03-04T11:00:01.123456+01:00 bastion.corp.example sshd 2211 - - Accepted publickey for ops "
              "from 10.9.8.7 port 61000 ssh2: RSA SHA256:abc\n"
              "<86>1 2026-03-04T10:00:02.5Z bastion sshd 2211 ID47 [origin ip=\"10.0.0.1\" x=\"a\\]b\"] "
              "\xEF\xBB\xBFStarting session: subsystem 'sftp' for ops from 10.9.8.7 port 61000 id 0\n"
              "<86>1 2026-03-04T10:00:03Z bastion sftp-server 2213 - - open \"/srv/in/x y.bin\" flags "
              "WRITE,CREATE,TRUNCATE mode 0644\n"
              "<86>1 broken\n"
              "2026-03-04T10:00:04.000001-05:00 bastion sshd[2211]: Connection from 10.9.8.7 port 61000 on 10.9.8.1 "
              "port 22 rdomain \"\"\n";
        SyslogAuthParser p;
        CollectingSink sink;
        QVERIFY(parseText(p, text, sink));
        QCOMPARE(sink.events.size(), size_t(4));
        QVERIFY(hasReject(sink, 4));
        QCOMPARE(iso(sink.events[0].timeUs), std::string("2026-03-04T10:00:01.123456Z"));
        QCOMPARE(sink.events[0].timeSource, TimeSource::ExplicitZone);
        QCOMPARE(sink.events[0].computer, std::string("bastion.corp.example"));
        QCOMPARE(fld(sink.events[0], "user"), std::string("ops"));
        QCOMPARE(fld(sink.events[0], "key"), std::string("RSA SHA256:abc"));
        QCOMPARE(iso(sink.events[1].timeUs), std::string("2026-03-04T10:00:02.500000Z"));
        QCOMPARE(sink.events[1].eventId, int(sshd::kSessionStart));
        QCOMPARE(fld(sink.events[1], "subsystem"), std::string("sftp"));
        QCOMPARE(sys(sink.events[1], "MsgId"), std::string("ID47"));
        QCOMPARE(sys(sink.events[1], "StructuredData"), std::string("[origin ip=\"10.0.0.1\" x=\"a\\]b\"]"));
        QCOMPARE(sink.events[2].eventId, int(sshd::kSftpOpen));
        QCOMPARE(fld(sink.events[2], "path"), std::string("/srv/in/x y.bin"));
        QCOMPARE(fld(sink.events[2], "flags"), std::string("WRITE,CREATE,TRUNCATE"));
        QCOMPARE(iso(sink.events[3].timeUs), std::string("2026-03-04T15:00:04.000001Z"));
        QCOMPARE(sink.events[3].eventId, int(sshd::kConnection));
        QCOMPARE(fld(sink.events[3], "local_ip"), std::string("10.9.8.1"));
        QCOMPARE(fld(sink.events[3], "local_port"), std::string("22"));
    }

    void journaldByteArrayMessage()
    {
        JournaldJsonParser p;
        CollectingSink sink;
        QVERIFY(parseText(p, readFixture("linux/web01-journal.json") + "{\"MESSAGE\":\"no time\"}\nnot json\n", sink));
        QCOMPARE(sink.events.size(), size_t(4));
        QVERIFY(hasReject(sink, 5) && hasReject(sink, 6));
        const RawEvent &e = sink.events[2];
        QCOMPARE(e.computer, std::string("web01"));
        QCOMPARE(e.channel, std::string("linux:sshd"));
        QCOMPARE(e.eventId, int(sshd::kPamSessionOpen));
        QCOMPARE(fld(e, "user"), std::string("root"));
        QCOMPARE(fld(e, "message"),
            std::string("pam_unix(sshd:session): session opened for user root(uid=0) by \xff(uid=0)"));
        QCOMPARE(sys(e, "_SYSTEMD_UNIT"), std::string("ssh.service"));
        QCOMPARE(iso(sink.events[0].timeUs), std::string("2026-03-04T09:50:00.000000Z"));
        QCOMPARE(sink.events[0].eventId, int(sshd::kConnection));
        QCOMPARE(fld(sink.events[1], "method"), std::string("password"));
    }

    void detection()
    {
        auto det = [](const std::string &s) { return detectFormat(s.data(), s.size()); };
        QCOMPARE(det(readFixture("linux/audit-edge.log")), Format::LinuxAudit);
        QCOMPARE(det("node=a type=EOE msg=audit(1.0:1):\n"), Format::LinuxAudit);
        QCOMPARE(det(readFixture("linux/db01-auth.log")), Format::Syslog);
        QCOMPARE(det("Jan  1 00:00:03 gw sshd[411]: x\n"), Format::Syslog);
        QCOMPARE(det("<34>1 2003-10-11T22:14:15.003Z mymachine su - ID47 - x\n"), Format::Syslog);
        QCOMPARE(det("<13>Feb  5 17:32:18 10.0.0.99 myapp: x\n"), Format::Syslog);
        QCOMPARE(det(readFixture("linux/web01-journal.json")), Format::Journald);
        QCOMPARE(det("<Event xmlns=\"x\"/>"), Format::WinXml);
        QCOMPARE(det("{\"EventID\":4624}\n"), Format::JsonLines);
        QCOMPARE(formatFromName("audit"), Format::LinuxAudit);
        QCOMPARE(formatFromName("journald"), Format::Journald);
    }

    void sshdMessages()
    {
        std::vector<Field> f;
        QCOMPARE(sshd::classify("Accepted keyboard-interactive/pam for u1 from 2001:db8::5 port 2222 ssh2", f),
            int(sshd::kAccepted));
        QCOMPARE(f[0].value, std::string("keyboard-interactive/pam"));
        QCOMPARE(f[2].value, std::string("2001:db8::5"));
        f.clear();
        QCOMPARE(sshd::classify("Invalid user test from 192.0.2.1 port 4000", f), int(sshd::kInvalidUser));
        f.clear();
        QCOMPARE(sshd::classify("subsystem request for sftp by user root", f), int(sshd::kSubsystem));
        f.clear();
        QCOMPARE(sshd::classify("close \"/tmp/a b\" bytes read 0 written 1234", f), int(sshd::kSftpClose));
        QCOMPARE(f[2].value, std::string("1234"));
        f.clear();
        QCOMPARE(sshd::classify("Server listening on 0.0.0.0 port 22.", f), int(sshd::kOther));
        QVERIFY(f.empty());
    }
};

QTEST_GUILESS_MAIN(TstLinuxParsers)
#include "tst_linux_parsers.moc"
