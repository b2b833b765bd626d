"""`python -m steerco.interop.mpxj_convert IN OUT`: any file MPXJ reads -> MSPDI, in a child.

Runs inside the subprocess that `steerco.interop.mpxj` starts: a JVM cannot be restarted in
one Python process, and a crash or hang in Java must not take the server down with it.
"""

from __future__ import annotations

import sys


def main(source: str, target: str) -> int:
    import jpype
    import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

    jpype.startJVM("-Djava.awt.headless=true", "-Xmx2g")
    from org.mpxj.mspdi import MSPDIWriter
    from org.mpxj.reader import UniversalProjectReader

    project = UniversalProjectReader().read(source)
    if project is None:
        print("MPXJ does not recognise this file format", file=sys.stderr)
        return 3
    MSPDIWriter().write(project, target)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print("usage: python -m steerco.interop.mpxj_convert IN OUT", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
