#include "EngineFixtures.h"

namespace fixtures {
extern const char *const kLogon4624
    = R"({"EventID":4624,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"WS6.corp.local","RecordNumber":100,"EventTime":"2020-10-09 18:30:31","@timestamp":"2020-10-09T22:30:33.100Z","TargetUserName":"pgustavo","TargetDomainName":"CORP","TargetUserSid":"S-1-5-21-1-2-3-1104","TargetLogonId":"0x23e34ce","LogonType":"3","IpAddress":"10.1.1.5","IpPort":"51712","WorkstationName":"WS5","AuthenticationPackageName":"Kerberos"})";
extern const char *const kShare5145
    = R"({"EventID":5145,"Channel":"Security","SourceName":"Microsoft-Windows-Security-Auditing","Hostname":"WS6.corp.local","RecordNumber":101,"EventTime":"2020-10-09 18:30:31","@timestamp":"2020-10-09T22:30:33.200Z","SubjectUserName":"pgustavo","SubjectDomainName":"CORP","SubjectLogonId":"0x23e34ce","ShareName":"\\\\*\\C$","ShareLocalPath":"\\??\\C:\\","RelativeTargetName":"Windows\\Temp\\x'); DROP TABLE events;--.exe","AccessMask":"0x2","IpAddress":"10.1.1.5","IpPort":"51712"})";
extern const char *const kSysmon1
    = R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","SourceName":"Microsoft-Windows-Sysmon","Hostname":"WS6.corp.local","RecordNumber":200,"EventTime":"2020-10-09 18:30:40","@timestamp":"2020-10-09T22:30:42.000Z","UtcTime":"2020-10-09 22:30:40.123","ProcessGuid":"{b34bc01c-7fae-5f63-1000-000000000400}","ProcessId":"4242","Image":"C:\\Windows\\Temp\\tool.exe","CommandLine":"tool.exe -x","User":"CORP\\pgustavo","LogonId":"0x23e34ce","ParentProcessGuid":"{b34bc01c-7fae-5f63-0f00-000000000400}","ParentProcessId":"880","ParentImage":"C:\\Windows\\System32\\cmd.exe"})";
extern const char *const kSysmon3
    = R"({"EventID":3,"Channel":"Microsoft-Windows-Sysmon/Operational","SourceName":"Microsoft-Windows-Sysmon","Hostname":"WS5.corp.local","RecordNumber":300,"EventTime":"2020-10-09 18:30:30","@timestamp":"2020-10-09T22:30:32.000Z","UtcTime":"2020-10-09 22:30:30.444","Image":"System","ProcessId":"4","Protocol":"tcp","Initiated":"true","SourceIp":"10.1.1.5","SourcePort":"51712","DestinationIp":"10.1.1.6","DestinationPort":"445"})";

} // namespace fixtures
