# lit configuration for the fluxc/fluxheim CLI tests (toolchain.md §6).
import os
import sys

import lit.formats

config.name = "fluxc"
if not hasattr(config, "flux_bin_dir"):  # `lit tests/lit` straight from the source tree
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    config.flux_build_root = os.environ.get("FLUX_BUILD_DIR", os.path.join(root, "build"))
    config.flux_bin_dir = os.path.join(config.flux_build_root, "bin")
    config.llvm_tools_dir = os.environ.get("LLVM_TOOLS_DIR", "/usr/lib/llvm-14/bin")
    config.flux_src_root = root

config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".toml", ".test"]
config.excludes = ["Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.flux_build_root, "tests", "lit")
config.environment["PATH"] = os.pathsep.join(
    [config.flux_bin_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
# Diagnostics must not depend on the caller's terminal or locale.
config.environment["NO_COLOR"] = "1"
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%fluxc", os.path.join(config.flux_bin_dir, "fluxc")))
config.substitutions.append(("%fluxheim", os.path.join(config.flux_bin_dir, "fluxheim")))
config.substitutions.append(("%inputs", os.path.join(os.path.dirname(__file__), "fluxc", "Inputs")))
if os.path.exists(os.path.join(config.flux_bin_dir, "fluxheim")):
    config.available_features.add("fluxheim")
