MAINTAINER moby@example.com
