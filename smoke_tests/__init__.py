"""Post-deploy checks that call Claude on every path, and a loopback emulator to run them on."""
