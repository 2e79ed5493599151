from dashgen.cli import main

raise SystemExit(main())
