"""Allow ``python -m qaimpact``."""

from qaimpact.cli import main

if __name__ == "__main__":
    main()
