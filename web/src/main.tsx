import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router';
import { Toaster } from 'sonner';
import { ApiError } from './api/client';
import { AppShell } from './components/app-shell';
import { Skeleton } from './components/ui';
import './index.css';

// Each page is its own chunk: the first load carries only the shell.
const Login = lazy(() => import('./pages/auth/login'));
const Signup = lazy(() => import('./pages/auth/signup'));
const Forgot = lazy(() => import('./pages/auth/forgot'));
const Reset = lazy(() => import('./pages/auth/reset'));
const Accept = lazy(() => import('./pages/auth/accept-invitation'));
const Home = lazy(() => import('./pages/home'));
const Tasks = lazy(() => import('./pages/tasks/tasks-page'));
const Contacts = lazy(() => import('./pages/contacts'));
const ObjectRoute = lazy(() => import('./pages/objects/object-route'));
const Duplicates = lazy(() => import('./pages/duplicates'));
const ImportPage = lazy(() => import('./pages/import'));
const DealsPage = lazy(() => import('./pages/deals/deals-page'));
const DealPage = lazy(() => import('./pages/deals/deal-page'));
const SalesDashboard = lazy(() => import('./pages/deals/sales-dashboard'));
const Tickets = lazy(() => import('./pages/tickets/ticket-list'));
const TicketPage = lazy(() => import('./pages/tickets/ticket-page'));
const WorkflowList = lazy(() => import('./pages/workflows/workflow-list'));
const WorkflowBuilder = lazy(() => import('./pages/workflows/builder'));
const RunHistory = lazy(() => import('./pages/workflows/run-history'));
const RunDetail = lazy(() => import('./pages/workflows/run-detail'));
const PredictionList = lazy(() => import('./pages/insights/prediction-list'));
const ModelCardPage = lazy(() => import('./pages/insights/model-card-page'));
const NotFound = lazy(() => import('./pages/not-found'));
const Trash = lazy(() => import('./pages/trash'));
const SettingsLayout = lazy(() => import('./pages/settings/layout'));
const Profile = lazy(() => import('./pages/settings/profile'));
const Users = lazy(() => import('./pages/settings/users'));
const Roles = lazy(() => import('./pages/settings/roles'));
const Teams = lazy(() => import('./pages/settings/teams'));
const ApiKeys = lazy(() => import('./pages/settings/api-keys'));
const Webhooks = lazy(() => import('./pages/settings/webhooks'));
const WebhookDeliveries = lazy(() => import('./pages/settings/webhook-deliveries'));
const Audit = lazy(() => import('./pages/settings/audit'));
const Mailbox = lazy(() => import('./pages/settings/mailbox'));
const Jobs = lazy(() => import('./pages/settings/jobs'));
const WebForms = lazy(() => import('./pages/settings/forms'));
const WebFormEditor = lazy(() => import('./pages/settings/form-editor'));
const AssignmentRules = lazy(() => import('./pages/settings/assignment-rules'));
const Products = lazy(() => import('./pages/settings/products'));
const PriceLists = lazy(() => import('./pages/settings/price-lists'));
const Currencies = lazy(() => import('./pages/settings/currencies'));
const Pipelines = lazy(() => import('./pages/settings/pipelines'));
const Quotas = lazy(() => import('./pages/settings/quotas'));
const ObjectsAndFields = lazy(() => import('./pages/settings/objects-fields'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

const router = createBrowserRouter([
  { path: '/login', element: <Login /> },
  { path: '/signup', element: <Signup /> },
  { path: '/forgot-password', element: <Forgot /> },
  { path: '/reset-password', element: <Reset /> },
  { path: '/accept-invitation', element: <Accept /> },
  {
    path: '/',
    element: <AppShell />,
    children: [
      { index: true, element: <Home /> },
      { path: 'tasks', element: <Tasks /> },
      { path: 'contacts', element: <Contacts /> },
      { path: 'contacts/import', element: <ImportPage key="contact" objectType="contact" /> },
      { path: 'contacts/import/:id', element: <ImportPage key="contact" objectType="contact" /> },
      { path: 'contacts/:id', element: <Contacts /> },
      { path: 'companies/import', element: <ImportPage key="company" objectType="company" /> },
      { path: 'companies/import/:id', element: <ImportPage key="company" objectType="company" /> },
      { path: 'duplicates', element: <Duplicates /> },
      { path: 'leads/import', element: <ImportPage key="lead" objectType="lead" /> },
      { path: 'leads/import/:id', element: <ImportPage key="lead" objectType="lead" /> },
      { path: 'deals', element: <DealsPage key="board" view="board" /> },
      { path: 'deals/list', element: <DealsPage key="list" view="list" /> },
      { path: 'deals/:id', element: <DealPage /> },
      { path: 'sales', element: <SalesDashboard /> },
      { path: 'insights/predictions', element: <PredictionList /> },
      { path: 'insights/predictions/:id', element: <ModelCardPage /> },
      { path: 'tickets', element: <Tickets /> },
      { path: 'tickets/:id', element: <TicketPage /> },
      { path: 'workflows', element: <WorkflowList /> },
      { path: 'workflows/:id', element: <WorkflowBuilder /> },
      { path: 'workflows/:id/runs', element: <RunHistory /> },
      { path: 'workflows/:id/runs/:runId', element: <RunDetail /> },
      {
        path: 'settings',
        element: <SettingsLayout />,
        children: [
          { index: true, element: <Navigate to="profile" replace /> },
          { path: 'profile', element: <Profile /> },
          { path: 'users', element: <Users /> },
          { path: 'roles', element: <Roles /> },
          { path: 'teams', element: <Teams /> },
          { path: 'api-keys', element: <ApiKeys /> },
          { path: 'webhooks', element: <Webhooks /> },
          { path: 'webhooks/:id', element: <WebhookDeliveries /> },
          { path: 'audit', element: <Audit /> },
          { path: 'mailbox', element: <Mailbox /> },
          { path: 'jobs', element: <Jobs /> },
          { path: 'forms', element: <WebForms /> },
          { path: 'forms/:id', element: <WebFormEditor /> },
          { path: 'assignment-rules', element: <AssignmentRules /> },
          { path: 'products', element: <Products /> },
          { path: 'price-lists', element: <PriceLists /> },
          { path: 'currencies', element: <Currencies /> },
          { path: 'pipelines', element: <Pipelines /> },
          { path: 'quotas', element: <Quotas /> },
          { path: 'objects', element: <ObjectsAndFields /> },
        ],
      },
      { path: 'trash', element: <Trash /> },
      // Every other object (companies, leads, admins' custom objects): the generic list and record page.
      { path: ':resource', element: <ObjectRoute /> },
      { path: ':resource/:id', element: <ObjectRoute /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <Suspense
          fallback={
            <div className="p-8">
              <Skeleton rows={4} />
            </div>
          }
        >
          <RouterProvider router={router} />
        </Suspense>
        <Toaster richColors position="bottom-right" closeButton />
      </QueryClientProvider>
    </StrictMode>,
  );
}
