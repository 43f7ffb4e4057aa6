import { Link } from "react-router-dom";
import { AuthLayout } from "@/components/AuthLayout";

export default function NotFound() {
  return (
    <AuthLayout title="Page not found" description="There is no page at this address.">
      <Link className="font-medium text-primary underline-offset-4 hover:underline" to="/">
        Go to the start page
      </Link>
    </AuthLayout>
  );
}
