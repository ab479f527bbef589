from arrs_desk.cli import main

raise SystemExit(main())
