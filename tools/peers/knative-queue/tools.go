//go:build tools

package peers

import _ "knative.dev/serving/cmd/queue"
