# Linux telemetry: audit / syslog / journald parsers, normalisation and the SSH / pull rules on
# hand-written fixtures, and a live scp / sftp / rsync recording between two network namespaces.
tt_add_test(tst_linux_parsers SOURCES linux/tst_linux_parsers.cpp LIBS tt_importers)
tt_add_test(tst_linux_inference SOURCES linux/tst_linux_inference.cpp linux/SshRecording.cpp LIBS tt_inference tt_views tt_importers)
tt_add_test(tst_linux_ssh_recording SOURCES linux/tst_linux_ssh_recording.cpp linux/SshRecording.cpp
            LIBS tt_inference tt_importers TIMEOUT 180)
target_compile_definitions(tst_linux_ssh_recording PRIVATE TT_RECORD_SCRIPT="${CMAKE_CURRENT_SOURCE_DIR}/linux/record_ssh.sh")
