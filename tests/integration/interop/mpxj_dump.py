"""Run by the MPXJ test in a subprocess (a JVM cannot restart in-process).

Reads each MSPDI file named on the command line with MPXJ's UniversalProjectReader and prints
one JSON line per file: its tasks, links and resources as MPXJ understood them, or the error.
"""

from __future__ import annotations

import json
import sys


def main(paths: list[str]) -> None:
    import jpype
    import mpxj  # noqa: F401  (puts the MPXJ jars on the class path)

    jpype.startJVM("-Djava.awt.headless=true")
    from org.mpxj.reader import UniversalProjectReader

    for path in paths:
        try:
            project = UniversalProjectReader().read(path)
            if project is None:
                raise RuntimeError("MPXJ did not recognise the file")
            tasks = []
            links = []
            for task in project.getTasks():
                uid = task.getUniqueID()
                if uid is None:
                    continue
                tasks.append(
                    {
                        "uid": int(uid),
                        "name": str(task.getName()) if task.getName() is not None else None,
                        "level": int(task.getOutlineLevel() or 0),
                        "start": str(task.getStart()) if task.getStart() is not None else None,
                        "finish": str(task.getFinish()) if task.getFinish() is not None else None,
                        "duration": str(task.getDuration()) if task.getDuration() else None,
                        "milestone": bool(task.getMilestone()),
                    }
                )
                for rel in task.getPredecessors():
                    links.append(
                        {
                            "pred": int(rel.getPredecessorTask().getUniqueID()),
                            "succ": int(uid),
                            "type": str(rel.getType()),
                            "lag": str(rel.getLag()),
                        }
                    )
            resources = [
                {"uid": int(r.getUniqueID()), "name": str(r.getName()) if r.getName() else None}
                for r in project.getResources()
                if r.getUniqueID() is not None
            ]
            print(
                json.dumps({"path": path, "tasks": tasks, "links": links, "resources": resources})
            )
        except Exception as exc:  # report per file; the test decides
            print(json.dumps({"path": path, "error": f"{type(exc).__name__}: {exc}"}))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
