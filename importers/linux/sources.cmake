# Linux telemetry: raw audit logs, syslog auth logs, journald JSON exports, their normalisation.
list(APPEND TT_IMPORTER_SOURCES
  linux/AuditParser.h linux/AuditParser.cpp
  linux/SshdMessage.h linux/SshdMessage.cpp
  linux/SyslogAuthParser.h linux/SyslogAuthParser.cpp
  linux/LinuxNormalizer.h linux/LinuxNormalizer.cpp
)
