from tongchou.cli import main

raise SystemExit(main())
